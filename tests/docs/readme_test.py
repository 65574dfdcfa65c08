#!/usr/bin/python3
"""The README and docs/*.md cannot rot: what they quote, name and link exists.

Checks, each a test (ctest docs.<name>):

  file_copies     a code block right after `<!-- file: PATH -->` is PATH's
                  text; after `<!-- file: PATH lines A-B -->` it is lines A..B
                  (1-based, inclusive) of PATH. A marker without a code block
                  right after it fails too.
  commands        every `audioctl COMMAND ...` in code (blocks and inline
                  spans) names a command of `audioctl --help`, and each
                  --option after it is in `audioctl help COMMAND` (or is a
                  connection option); every --flag after `audiocontrold` or
                  `audiofocus-sim` is in that program's --help output.
  links           every relative link and image (`[text](path#anchor)`,
                  `<img src=...>`) points to an existing file, and an anchor
                  to a heading of the target (GitHub's heading ids).
  paths           every repository path in code in the README
                  (`config/...`, `scripts/run-demo.sh`) exists.
  bench_results   each row of the README's table after
                  `<!-- results: scripts/bench.sh -->` is a RESULT name that
                  scripts/bench.sh reports.

Usage: readme_test.py --repo DIR --audioctl BIN --audiocontrold BIN
                      --audiofocus-sim BIN [unittest args, e.g. -k links]
"""

import argparse
import difflib
import re
import subprocess
import sys
import unittest
from pathlib import Path

ARGS = None

FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
FILE_MARKER = re.compile(r"^<!-- file: (\S+)(?: lines (\d+)-(\d+))? -->$")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
MD_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+)")
HTML_LINK = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
PROGRAM = re.compile(r"(?:^|(?<=[\s(`/]))(audioctl|audiocontrold|audiofocus-sim)(?=\s|$)")
# Where a command line mentioned in the docs ends.
SHELL_STOP = {"|", "||", "&&", ";", "&", "#", ">", ">>", "2>", "2>&1", "<"}


class Markdown:
    """A markdown file split into fenced code blocks and the prose between."""

    def __init__(self, path):
        self.path = path
        self.lines = path.read_text().splitlines()
        self.blocks = []       # (marker match or None, first line number, text)
        self.prose = []        # (line number, line) outside code blocks
        self.bad_markers = []  # line numbers of markers with no code block after them
        fence, body, marker, start = None, [], None, 0
        pending_marker = None
        for number, line in enumerate(self.lines, 1):
            if fence is None:
                opened = FENCE.match(line)
                if opened:
                    fence, body, start = opened.group(1), [], number
                    marker, pending_marker = pending_marker, None
                    continue
                self.prose.append((number, line))
                if line.strip():
                    if pending_marker:
                        self.bad_markers.append(pending_marker[1])
                    found = FILE_MARKER.match(line.strip())
                    pending_marker = (found, number) if found else None
            elif line.strip().startswith(fence) and not line.strip()[len(fence):].strip():
                self.blocks.append((marker[0] if marker else None, start + 1, "\n".join(body)))
                fence = None
            else:
                body.append(line)
        if pending_marker:
            self.bad_markers.append(pending_marker[1])

    def where(self, number):
        return f"{self.path.relative_to(ARGS.repo)}:{number}"

    def code_lines(self):
        """(line number, text) of every code line and inline code span.

        Lines of a block ending in a backslash are joined with the next."""
        for _, start, text in self.blocks:
            joined, first = "", None
            for offset, line in enumerate(text.split("\n")):
                first = start + offset if first is None else first
                if line.endswith("\\"):
                    joined += line[:-1] + " "
                    continue
                yield first, joined + line
                joined, first = "", None
            if joined:
                yield first, joined
        for number, line in self.prose:
            for span in INLINE_CODE.findall(line):
                yield number, span

    def links(self):
        for number, line in self.prose:
            text = INLINE_CODE.sub("", line)
            for pattern in (MD_LINK, REF_LINK, HTML_LINK):
                for target in pattern.findall(text):
                    yield number, target

    def heading_ids(self):
        """GitHub's ids of the headings: lower case, punctuation dropped,
        spaces as hyphens, -1, -2 ... for repeats."""
        ids, seen = set(), {}
        for _, line in self.prose:
            heading = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
            if not heading:
                continue
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))
            slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            ids.add(slug if count == 0 else f"{slug}-{count}")
        return ids


def documents():
    repo = Path(ARGS.repo)
    pages = sorted((repo / "docs").glob("*.md"))
    return [Markdown(repo / "README.md")] + [Markdown(page) for page in pages]


def run(argv):
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=30)
    return done.returncode, done.stdout


def command_words(tokens):
    """The leading plain words of a command line (`volume set --zone 1` -> volume set)."""
    words = []
    for token in tokens:
        if not re.fullmatch(r"[a-z][a-z-]*", token):
            break
        words.append(token)
    return words


class AudioctlHelp:
    """audioctl's commands (from `--help` and `help WORD`) and their help texts."""

    def __init__(self, binary):
        code, overview = run([binary, "--help"])
        assert code == 0, f"audioctl --help exited {code}:\n{overview}"
        section = overview.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
        # The connection options (allowed before or after the command), and
        # whether each takes a value: "  --socket PATH   the daemon's ...".
        connection = overview.split("Connection", 1)[1].split("\n\n", 1)[0]
        self.global_options = {name: bool(value) for name, value in
                               re.findall(r"^  (--[\w-]+)( [A-Z]+)?", connection, re.M)}
        self.commands = {}  # "volume set" -> help text
        for first in sorted({line.split()[0] for line in section.splitlines() if line.strip()}):
            code, text = run([binary, "help", first])
            assert code == 0, f"audioctl help {first} exited {code}:\n{text}"
            for usage in re.findall(r"^usage: audioctl (.*)$", text, re.M):
                name = " ".join(command_words(usage.split()))
                self.commands[name] = text

    def find(self, tokens):
        """The longest command that the tokens start with, or None."""
        for length in (2, 1):
            name = " ".join(tokens[:length])
            if len(tokens) >= length and name in self.commands:
                return name
        return None


def mentions(program):
    """(document, line number, tokens after the program) for each mention in code."""
    for doc in documents():
        for number, line in doc.code_lines():
            for found in PROGRAM.finditer(line):
                if found.group(1) != program:
                    continue
                tokens = []
                for token in line[found.end():].split():
                    if token in SHELL_STOP or token.startswith("#"):
                        break
                    tokens.append(token)
                yield doc, number, tokens


def option_name(token):
    token = token.strip("[](),'\"")
    return token.split("=", 1)[0] if token.startswith("--") else None


class DocsTest(unittest.TestCase):
    """Each test collects every problem it finds and fails once, listing them."""

    def setUp(self):
        self.problems = []

    def check(self, ok, message):
        if not ok:
            self.problems.append(message)
        return ok

    def report(self, what, checked):
        self.check(checked > 0, f"no {what} found at all: has the format changed?")
        if self.problems:
            self.fail(f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems))

    def test_file_copies(self):
        checked = 0
        for doc in documents():
            for number in doc.bad_markers:
                self.check(False, f"{doc.where(number)}: a file marker must be followed by a "
                                  f"code block")
            for marker, start, text in doc.blocks:
                if marker is None:
                    continue
                checked += 1
                path = Path(ARGS.repo) / marker.group(1)
                if not self.check(path.is_file(), f"{doc.where(start - 1)}: no file "
                                                  f"{marker.group(1)}"):
                    continue
                source = path.read_text().splitlines()
                if marker.group(2):
                    first, last = int(marker.group(2)), int(marker.group(3))
                    if not self.check(1 <= first <= last <= len(source),
                                      f"{doc.where(start - 1)}: lines {first}-{last} are not in "
                                      f"{marker.group(1)} ({len(source)} lines)"):
                        continue
                    source = source[first - 1:last]
                if text != "\n".join(source):
                    diff = difflib.unified_diff(source, text.split("\n"), marker.group(1),
                                                doc.where(start), lineterm="")
                    self.check(False, f"{doc.where(start)}: the block is not a copy of "
                                      f"{marker.group(0)}:\n" + "\n".join(diff))
        self.report("file copies", checked)

    def test_commands(self):
        help_text = AudioctlHelp(ARGS.audioctl)
        checked = 0
        for doc, number, tokens in mentions("audioctl"):
            while tokens and option_name(tokens[0]) in help_text.global_options:
                name = option_name(tokens[0])  # connection options may come first
                takes_value = help_text.global_options[name] and "=" not in tokens[0]
                tokens = tokens[1 + takes_value:]
            if not tokens or not re.fullmatch(r"[a-z][a-z-]*", tokens[0]):
                continue  # the program's name in prose, or `audioctl COMMAND`
            command = help_text.find(tokens)
            if command is None and any(c.startswith(tokens[0] + " ") for c in help_text.commands):
                continue  # a command group, e.g. `audioctl volume`
            checked += 1
            if not self.check(command is not None,
                              f"{doc.where(number)}: `audioctl {' '.join(tokens)}`: no such "
                              f"command in audioctl --help"):
                continue
            for token in tokens:
                option = option_name(token)
                if option and option not in help_text.global_options:
                    self.check(option in help_text.commands[command],
                               f"{doc.where(number)}: audioctl {command} has no {option}")
        for program, binary in (("audiocontrold", ARGS.audiocontrold),
                                ("audiofocus-sim", ARGS.audiofocus_sim)):
            _, text = run([binary, "--help"])
            known = {name.replace("-", "_") for name in re.findall(r"--([a-z][\w-]*)", text)}
            for doc, number, tokens in mentions(program):
                for token in tokens:
                    option = option_name(token)
                    if option:
                        checked += 1
                        self.check(option[2:].replace("-", "_") in known,
                                   f"{doc.where(number)}: {program} has no {option}")
        self.report("commands", checked)

    def test_links(self):
        repo = Path(ARGS.repo).resolve()
        checked = 0
        for doc in documents():
            for number, target in doc.links():
                if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                    continue  # https:, mailto:
                checked += 1
                path_part, _, anchor = target.partition("#")
                path = (doc.path.parent / path_part).resolve() if path_part else doc.path
                if not self.check(path.exists(), f"{doc.where(number)}: link to missing {target}"):
                    continue
                self.check(repo in [path, *path.parents],
                           f"{doc.where(number)}: {target} is outside the repository")
                if anchor and path.suffix == ".md":
                    self.check(anchor in Markdown(path).heading_ids(),
                               f"{doc.where(number)}: {target}: no such heading")
        self.report("links", checked)

    def test_paths(self):
        repo = Path(ARGS.repo)
        top = {p.name for p in repo.iterdir() if p.is_dir() and not p.name.startswith(".")
               and not p.name.startswith("build")}
        readme = documents()[0]
        checked = 0
        for number, line in readme.code_lines():
            for token in re.findall(r"[\w.+-]+(?:/[\w.+-]+)+/?", line):
                if token.split("/")[0] not in top or re.search(r"[<>*$…]", token):
                    continue
                checked += 1
                self.check((repo / token).exists(), f"{readme.where(number)}: no {token}")
        self.report("repository paths", checked)

    def test_bench_results(self):
        repo = Path(ARGS.repo)
        in_table = set(re.findall(r'^\s*"([a-z0-9_]+) ', (repo / "scripts/bench.sh").read_text(),
                                  re.M))
        printed = set()
        for source in sorted((repo / "bench").glob("*.cc")):
            printed |= set(re.findall(r'"RESULT ([a-z0-9_]+) ', source.read_text()))
        readme = documents()[0]
        lines = readme.lines
        marker = next((i for i, line in enumerate(lines)
                       if line.strip() == "<!-- results: scripts/bench.sh -->"), None)
        self.assertIsNotNone(marker, "README: no <!-- results: scripts/bench.sh --> table")
        rows = []
        for line in lines[marker + 1:]:
            if not line.startswith("|"):
                if rows:
                    break
                continue
            first = line.strip("|").split("|")[0].strip().strip("`")
            if first and not set(first) <= set("-: "):
                rows.append(first)
        for name in rows[1:]:  # rows[0] is the header
            self.check(name in in_table, f"README results table: scripts/bench.sh does not "
                                         f"report {name}")
            self.check(name in printed, f"README results table: no program in bench/ prints "
                                        f"RESULT {name}")
        self.report("result rows", len(rows) - 1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--audioctl", required=True)
    parser.add_argument("--audiocontrold", required=True)
    parser.add_argument("--audiofocus-sim", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest])
