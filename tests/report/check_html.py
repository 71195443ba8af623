#!/usr/bin/env python3
"""Checks an orgsim HTML report with Python's html.parser.

usage: check_html.py REPORT.html EXPECTED_SVG_COUNT

Fails (exit 1) when a non-void element is left open or closed out of order,
when the number of <svg> elements differs from the expected count, when an
<svg> has no <title>, or when the page references anything external
(scripts, stylesheets, images, fonts).
"""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.svgs = 0
        self.svg_titles = 0
        self.in_svg_depth = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.svgs += 1
            self.in_svg_depth = len(self.stack)
        if tag == "title" and self.in_svg_depth is not None and len(self.stack) == self.in_svg_depth + 1:
            self.svg_titles += 1
        if tag in ("script", "link", "img", "iframe", "object"):
            self.errors.append(f"external or active element <{tag}>")
        for name in ("src", "href"):
            value = attrs.get(name)
            if value and not value.startswith("#"):
                self.errors.append(f"<{tag} {name}={value!r}> points outside the file")
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        # <x/> (SVG self-closing): opens and closes at once.
        if tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.errors.append(f"</{tag}> at {self.getpos()} closes nothing")
            return
        open_tag, pos = self.stack.pop()
        if open_tag != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes <{open_tag}> opened at {pos}")
        if tag == "svg":
            self.in_svg_depth = None


def main():
    path, expected = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("<!DOCTYPE html>"):
        print("missing <!DOCTYPE html>")
        return 1
    checker = Checker()
    checker.feed(text)
    checker.close()
    errors = list(checker.errors)
    if checker.stack:
        errors.append("unclosed: " + ", ".join(f"<{t}> at {p}" for t, p in checker.stack[:5]))
    if checker.svgs != expected:
        errors.append(f"{checker.svgs} <svg> elements, expected {expected}")
    if checker.svg_titles != checker.svgs:
        errors.append(f"{checker.svgs - checker.svg_titles} <svg> without a <title>")
    for e in errors[:20]:
        print(f"{path}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
