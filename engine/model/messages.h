// Messages: typed, delayed effects between mechanisms — the in-tray.
//
// When one function of the organization affects another (a problem signal
// travelling from the person who heard it to its owner in product, say),
// the sender posts a message instead of calling into the receiver. The
// message arrives after a delay (usually a path latency of the
// communication graph) as a kernel event, and the receiving mechanism's
// Receive(const Message&) handles it then, with the state of that moment.
//
//   // A message type: a plain struct with the event kind it travels as.
//   struct Ping {
//     static constexpr std::string_view kEventKind = "toy/ping";
//     int value = 0;
//   };
//   // Once, in the receiver's RegisterHandlers:
//   w_.messages.Declare<Ping>();
//   // Anywhere (a handler, a phase):
//   w_.messages.Send(*this, receiver, Ping{42}, kernel::Days(2));
//   // Or at once, inside the sender's event (no kernel event, no Declare):
//   w_.messages.Deliver(*this, receiver, Ping{42});
//   // In the receiver:
//   void Receive(const Message& m) override {
//     if (const Ping* ping = m.As<Ping>()) Use(ping->value, m.header().sent);
//   }
//
// Every message carries a header: its type, the sending and receiving
// mechanisms, the graph vertices it goes from and to (-1 = none: the market
// or the function as a whole), and when it was sent and arrives.
//
// Event order and fingerprints: each message type is one kernel event kind
// (Body::kEventKind; the fingerprint hashes the name, so never rename one);
// the event's payload is the message's sequence number within its type
// (0, 1, 2, ... in sending order) and its priority the Phase it is sent
// with (kEvent unless given). A message therefore costs exactly one event,
// ordered like any other: by arrival time, then priority, then sending
// order. Messages are kept for the whole replication (a few thousand per
// run), so a delivered message's header and body stay valid.
//
// Not thread-safe (one replication, one thread). Declare before the first
// Send of a type; sending an undeclared type or to a mechanism outside the
// run throws InvariantError.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/kernel/check.h"
#include "engine/kernel/sim_time.h"
#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"
#include "engine/model/phase.h"

namespace orgsim::model {

struct MessageHeader {
  std::string_view type;  // the body's kEventKind
  int sender = -1;        // index of the sending mechanism in the run's list
  int receiver = -1;      // index of the receiving mechanism
  int from_agent = -1;    // graph vertex it comes from (-1: none / the market)
  int to_agent = -1;      // graph vertex it is addressed to (-1: the function)
  kernel::SimTime sent = 0;
  kernel::SimTime arrival = 0;
  std::uint32_t sequence = 0;  // within its type, from 0
};

// Optional addressing of a message on the communication graph.
struct Route {
  int from_agent = -1;
  int to_agent = -1;
};

// A delivered message: its header and its body, read by type.
class Message {
 public:
  Message(const MessageHeader& header, const void* type_key, const void* body)
      : header_(header), type_key_(type_key), body_(body) {}
  const MessageHeader& header() const { return header_; }
  // The body if it is a Body, else nullptr.
  template <typename Body>
  const Body* As() const;

 private:
  const MessageHeader& header_;
  const void* type_key_;
  const void* body_;
};

namespace message_internal {
// One address per message type, to compare types without RTTI.
template <typename Body>
const void* TypeKey() {
  static const char key = 0;
  return &key;
}
}  // namespace message_internal

template <typename Body>
const Body* Message::As() const {
  return type_key_ == message_internal::TypeKey<Body>() ? static_cast<const Body*>(body_) : nullptr;
}

class Messages {
 public:
  explicit Messages(kernel::Simulation& sim) : sim_(sim) {}
  Messages(const Messages&) = delete;
  Messages& operator=(const Messages&) = delete;

  // The run's mechanisms (set once before RegisterHandlers; index = id).
  void Attach(std::span<Mechanism* const> mechanisms) {
    mechanisms_.assign(mechanisms.begin(), mechanisms.end());
  }

  // Registers the kernel event kind Body::kEventKind that delivers messages
  // of type Body. Declaring a type twice is a no-op.
  template <typename Body>
  void Declare() {
    if (Find<Body>() != nullptr) return;
    auto channel = std::make_unique<Channel<Body>>();
    Channel<Body>* raw = channel.get();
    raw->handler = sim_.RegisterHandler(Body::kEventKind, [this, raw](kernel::EventPayload seq) {
      const auto& [header, body] = raw->sent[seq];
      const Message message(header, message_internal::TypeKey<Body>(), &body);
      mechanisms_[static_cast<std::size_t>(header.receiver)]->Receive(message);
    });
    channels_.push_back(std::move(channel));
  }

  // Sends `body` from mechanism `from` to mechanism `to`; it arrives after
  // `delay`. Returns its header.
  // REQUIRES: Body declared; from and to in the run; delay >= 0.
  template <typename Body>
  const MessageHeader& Send(const Mechanism& from, const Mechanism& to, Body body,
                            kernel::SimTime delay, Route route = {}, Phase phase = Phase::kEvent) {
    Channel<Body>* channel = Find<Body>();
    ORGSIM_CHECK(channel != nullptr,
                 "message type '" << Body::kEventKind << "' sent before Declare");
    MessageHeader header;
    header.type = Body::kEventKind;
    header.sender = IdOf(from);
    header.receiver = IdOf(to);
    header.from_agent = route.from_agent;
    header.to_agent = route.to_agent;
    header.sent = sim_.Now();
    header.arrival = sim_.Now() + delay;
    header.sequence = static_cast<std::uint32_t>(channel->sent.size());
    sim_.Schedule(delay, channel->handler, header.sequence, Priority(phase));
    channel->sent.emplace_back(header, std::move(body));
    return channel->sent.back().first;
  }

  // Delivers `body` from `from` to `to` now, within the sender's event:
  // `to`'s Receive runs before Deliver returns (header.sent == arrival,
  // sequence 0; the message is not kept and needs no Declare). This is
  // the zero-delay case of Send that adds no kernel event, so the event
  // order and the fingerprints stay those of a direct call; an effect that
  // should take time goes by Send with its delay instead.
  // REQUIRES: from and to in the run.
  template <typename Body>
  void Deliver(const Mechanism& from, const Mechanism& to, const Body& body, Route route = {}) {
    MessageHeader header;
    header.type = Body::kEventKind;
    header.sender = IdOf(from);
    header.receiver = IdOf(to);
    header.from_agent = route.from_agent;
    header.to_agent = route.to_agent;
    header.sent = sim_.Now();
    header.arrival = header.sent;
    const Message message(header, message_internal::TypeKey<Body>(), &body);
    mechanisms_[static_cast<std::size_t>(header.receiver)]->Receive(message);
  }

  // Messages of type Body sent so far, by sequence number.
  template <typename Body>
  std::size_t SentCount() const {
    for (const auto& channel : channels_) {
      if (channel->key == message_internal::TypeKey<Body>()) {
        return static_cast<const Channel<Body>&>(*channel).sent.size();
      }
    }
    return 0;
  }

  // The id (list index) of a mechanism of the run.
  int IdOf(const Mechanism& mechanism) const {
    for (std::size_t i = 0; i < mechanisms_.size(); ++i) {
      if (mechanisms_[i] == &mechanism) return static_cast<int>(i);
    }
    ORGSIM_CHECK(false, "message to or from a mechanism outside the run");
    return -1;
  }

 private:
  struct ChannelBase {
    virtual ~ChannelBase() = default;
    const void* key = nullptr;
    kernel::HandlerId handler = 0;
  };
  template <typename Body>
  struct Channel : ChannelBase {
    Channel() { key = message_internal::TypeKey<Body>(); }
    std::deque<std::pair<MessageHeader, Body>> sent;  // stable references
  };

  template <typename Body>
  Channel<Body>* Find() {
    for (const auto& channel : channels_) {
      if (channel->key == message_internal::TypeKey<Body>())
        return static_cast<Channel<Body>*>(channel.get());
    }
    return nullptr;
  }

  kernel::Simulation& sim_;
  std::vector<Mechanism*> mechanisms_;
  std::vector<std::unique_ptr<ChannelBase>> channels_;
};

}  // namespace orgsim::model
