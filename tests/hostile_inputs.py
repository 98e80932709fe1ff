"""Hostile inputs, second round (issue 16): generators for every class of
input that once crashed, hung, ate memory or overwrote a file, and a runner
that measures each run's time and peak memory (the CLI process and its
workers). Shared by tests/test_hostile_limits.py and bench/hostile.py.

A case builds its input in an empty folder and returns the command-line
arguments; the runner checks the exit code, one line on stderr for exit 2, no
traceback, the time limit, peak memory, no report or temporary file left
behind by a failed run, and every file that existed before unchanged.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "yongdeng-zwfw-2024.pdf"
CLEAN = (0, 1)
PEAK_LIMIT_MB = 1024
MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:], stdin=subprocess.DEVNULL)
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


@dataclass
class Case:
    kind: str  # the class of the issue it belongs to (the benchmark groups by it)
    name: str
    make: Callable[[Path], list]  # builds the input in a folder, returns CLI arguments
    codes: tuple = (2,)
    words: tuple = ()
    env: dict = field(default_factory=dict)
    seconds: float = 60  # the case fails past this
    stdout: str = "pipe"  # pipe | closed | broken
    limits: Callable[[], None] | None = None  # preexec: resource limits of the CLI process
    quiet: bool = False  # exit 0/1 with nothing at all on stderr
    absent: tuple = ()  # text that must appear in neither stdout nor stderr


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float


# ---------- running ----------

def all_files(folder: Path) -> list[Path]:
    """Regular files under `folder`, without recursion (a case makes a tree 1,100 levels deep) or symlinks."""
    found, stack = [], [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path))
    return found


def fingerprint(path: Path) -> str:
    info = path.stat()
    if info.st_size > 16 * 2**20:
        return f"{info.st_size}-{info.st_mtime_ns}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict:
    return {path: fingerprint(path) for path in all_files(folder)}


def run(case: Case, folder: Path) -> Outcome:
    args = case.make(folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETAUDIT_CACHE": str(folder / ".cache"), "COLUMNS": "200", **case.env}
    stdout, closer = stdout_for(case.stdout)
    peak_file = Path(tempfile.mkstemp(prefix="peak-")[1])
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", MEASURE, str(peak_file), sys.executable, "-m", "budgetaudit", *map(str, args)],
                              cwd=folder, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=case.seconds + 30,
                              preexec_fn=preexec(case), pass_fds=())
    finally:
        closer()
    seconds = time.monotonic() - started
    peak = int(peak_file.read_text() or 0) / 1024
    peak_file.unlink()
    out = proc.stdout.decode("utf-8", "replace") if isinstance(proc.stdout, bytes) else ""
    return Outcome(proc.returncode, out, proc.stderr.decode("utf-8", "replace"), seconds, peak)


def stdout_for(mode: str):
    if mode == "broken":
        read, write = os.pipe()
        os.close(read)
        return write, lambda: os.close(write)
    return (subprocess.PIPE if mode == "pipe" else subprocess.DEVNULL), lambda: None


def preexec(case: Case):
    def setup() -> None:
        if case.stdout == "closed":
            os.close(1)
        if case.limits:
            case.limits()
    return setup if case.stdout == "closed" or case.limits else None


def problems(case: Case, folder: Path, outcome: Outcome, before: dict) -> list[str]:
    """Everything the acceptance criteria forbid, as readable complaints (empty: the case passed)."""
    found = []
    lines = [ln for ln in outcome.stderr.splitlines() if ln.strip()]
    if outcome.code not in case.codes:
        found.append(f"exit {outcome.code}, expected {case.codes}: {outcome.stderr[-1500:]}")
    if "Traceback" in outcome.stderr + outcome.stdout:
        found.append("a traceback")
    if outcome.code >= 2 and len(lines) != 1:
        found.append(f"{len(lines)} lines on stderr: {lines[:5]}")
    if case.quiet and lines:
        found.append(f"stderr not quiet: {lines[:5]}")
    found += [f"`{word}` not on stderr: {outcome.stderr[-500:]}" for word in case.words if word not in outcome.stderr]
    found += [f"`{text!r}` in the output" for text in case.absent if text in outcome.stdout + outcome.stderr]
    if outcome.seconds > case.seconds:
        found.append(f"took {outcome.seconds:.1f} s (limit {case.seconds} s)")
    if outcome.peak_mb > PEAK_LIMIT_MB:
        found.append(f"peak memory {outcome.peak_mb:.0f} MB")
    after = all_files(folder)
    found += [f"{path} changed" for path, digest in before.items() if path.is_file() and fingerprint(path) != digest]
    found += [f"{path} removed" for path in before if not path.exists()]
    found += [f"temporary file left: {p}" for p in after if p.name.startswith(".budgetaudit-")]
    if outcome.code >= 2:
        found += [f"report left by a failed run: {p}" for p in after if p.name.startswith("report") and p not in before]
    return found


def check_case(case: Case, folder: Path) -> Outcome:
    """Build, run and judge one case; AssertionError lists what went wrong."""
    case.make(folder)  # build once to snapshot the inputs; run() builds again in place (generators are idempotent)
    before = snapshot(folder)
    outcome = run(case, folder)
    complaints = problems(case, folder, outcome, before)
    assert not complaints, f"{case.kind}/{case.name}: " + "; ".join(complaints)
    return outcome


# ---------- PDFs ----------

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def raw_pdf(contents: list[bytes], mediabox: str = "0 0 595 842", filters: bool = False, font: bytes = HELVETICA) -> bytes:
    """A minimal well-formed PDF, one content stream per page with a correct xref (FlateDecode when
    the stream is given compressed)."""
    count = len(contents)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(), font]
    extra = b" /Filter /FlateDecode" if filters else b""
    for i, stream in enumerate(contents):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [{mediabox}] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(stream), extra) + stream + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


TEXT = b"BT /F1 12 Tf 72 800 Td (Department budget 2025 total 1,234.56) Tj ET\n"


def write(path: Path, data: bytes) -> Path:
    if not path.exists():
        path.write_bytes(data)
    return path


def self_referencing_objstm(folder: Path) -> Path:
    """An object stream whose /Length is an object stored inside that same stream (xref stream PDF)."""
    content = TEXT
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 8 0 R >>",
               5: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               7: b"<< /Type /ObjStm /N 1 /First 4 /Length 8 0 R >>\nstream\n8 0 7 0 R\nendstream"}
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    rows = b"".join(row(n, offsets, xref) for n in range(10))
    out += (b"9 0 obj\n<< /Type /XRef /Size 10 /W [1 4 1] /Root 1 0 R /Length %d >>\nstream\n" % len(rows) + rows
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)
    return write(folder / "objstm.pdf", bytes(out))


def row(number: int, offsets: dict, xref: int) -> bytes:
    if number in offsets:
        return b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00"
    if number == 8:
        return b"\x02" + (7).to_bytes(4, "big") + b"\x00"
    if number == 9:
        return b"\x01" + xref.to_bytes(4, "big") + b"\x00"
    return b"\x00\x00\x00\x00\x00\xff"


def nested_array_pdf(folder: Path) -> Path:
    deep = b"[" * 100_000 + b"]" * 100_000
    return write(folder / "nested.pdf", raw_pdf([TEXT + deep + b" pop\n" + TEXT]))


def nested_resources_pdf(folder: Path) -> Path:
    data = raw_pdf([TEXT]).replace(b"/Contents 5 0 R", b"/Contents 5 0 R /Annots [<< /A " + b"<< /A " * 20_000 + b">> " * 20_000 + b">>]")
    return write(folder / "nested-dict.pdf", data)


def inflating_pdf(folder: Path, megabytes: int = 100) -> Path:
    """A content stream of a few hundred KB that inflates to `megabytes` MB."""
    path = folder / f"inflate-{megabytes}.pdf"
    if not path.exists():
        packer, zeros, parts = zlib.compressobj(1), bytes(1 << 20), []
        parts = [packer.compress(TEXT)] + [packer.compress(zeros) for _ in range(megabytes)] + [packer.flush()]
        path.write_bytes(raw_pdf([b"".join(parts)], filters=True))
    return path


def ruling_grid_pdf(folder: Path, lines: int = 25_000) -> Path:
    """A page ruled with `lines` horizontal and `lines` vertical lines, and some text."""
    step = 595 / lines
    ops = b"".join(b"0 %.3f m 595 %.3f l\n%.3f 0 m %.3f 842 l\n" % (i * step, i * step, i * step, i * step) for i in range(lines))
    return write(folder / "grid.pdf", raw_pdf([TEXT + b"0.1 w\n" + ops + b"S\n"]))


def huge_page_pdf(folder: Path) -> Path:
    return write(folder / "huge-page.pdf", raw_pdf([TEXT], mediabox="0 0 200000 200000"))


def many_chars_pdf(folder: Path, chars: int = 250_000) -> Path:
    line = b"(" + b"x" * 1000 + b") Tj 0 -1 Td\n"
    return write(folder / "chars.pdf", raw_pdf([b"BT /F1 1 Tf 10 830 Td\n" + line * (chars // 1000) + b"ET\n"]))


def long_pdf(folder: Path, pages: int = 100, segments: int = 3_000) -> Path:
    """Pages of thousands of random ruling lines, each page within every limit: ≈ 0.4 s a page to read."""
    import random

    rng = random.Random(3)
    ops = b"".join(b"%d %d m %d %d l S\n" % (rng.randrange(595), rng.randrange(842), rng.randrange(595), rng.randrange(842)) for _ in range(segments))
    return write(folder / "long.pdf", raw_pdf([ops + TEXT] * pages))


def cjk_remnant_pdf(folder: Path, side: float = 595) -> Path:
    """A page with a template remnant (请填写) in a built-in CJK font: a finding with a page crop."""
    path = folder / f"remnant-{int(side)}.pdf"
    if not path.exists():
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen.canvas import Canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        canvas = Canvas(str(path), pagesize=(side, side))
        canvas.setFont("STSong-Light", 12)
        canvas.drawString(72, side - 80, "2025年部门预算公开说明")
        canvas.drawString(72, side - 100, "一、部门职责：请填写本部门的主要职责。")
        canvas.showPage()
        canvas.save()
    return path


def sample_copy(folder: Path, name: str = "doc.pdf", real: bool = False) -> Path:
    """A small document to check: a one-page PDF made here (fast), or a copy of a real sample."""
    path = folder / name
    if not path.exists():
        shutil.copy(SAMPLE, path) if real else path.write_bytes(raw_pdf([TEXT] * 3))
    return path


# ---------- rule, config and baseline files ----------

def rule_folder(folder: Path, files: dict[str, str]) -> Path:
    rules = folder / "myrules"
    rules.mkdir(exist_ok=True)
    for name, text in files.items():
        target = rules / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_text(text, encoding="utf-8")
    return rules


GOOD_RULE = "id: X-MINE-001\nextends: row_identity\ntitle: t\nseverity: error\ntables: [expenditure_summary]\ntotal: total\nparts: [basic, project]\n"


def rule_case(text: str) -> Callable[[Path], list]:
    def make(folder: Path) -> list:
        return ["check", sample_copy(folder), "--rules", rule_folder(folder, {"X-MINE-001.yaml": text})]
    return make


REQUIRED = "id: X-REQ-001\nextends: required_tables\ntitle: t\nseverity: error\n"


def data_case(name: str, text: str, rule: str = GOOD_RULE) -> Callable[[Path], list]:
    def make(folder: Path) -> list:
        return ["check", sample_copy(folder), "--rules", rule_folder(folder, {"X-MINE-001.yaml": rule, name: text})]
    return make


def special_rule_file(kind: str) -> Callable[[Path], list]:
    """A FIFO, or a symlink to /dev/zero, among the rule files."""
    def make(folder: Path) -> list:
        rules = rule_folder(folder, {"X-MINE-001.yaml": GOOD_RULE})
        target = rules / "X-MINE-002.yaml"
        if not os.path.lexists(target):
            os.mkfifo(target) if kind == "fifo" else os.symlink("/dev/zero", target)
        return ["check", sample_copy(folder), "--rules", rules]
    return make


def config_case(text: str) -> Callable[[Path], list]:
    def make(folder: Path) -> list:
        config = folder / "budgetaudit.yaml"
        if not config.exists():
            config.write_text(text, encoding="utf-8")
        return ["check", sample_copy(folder), "--config", config]
    return make


def baseline_case(build: Callable[[Path], Path]) -> Callable[[Path], list]:
    def make(folder: Path) -> list:
        return ["check", sample_copy(folder), "--baseline", build(folder)]
    return make


def fifo(folder: Path, name: str) -> Path:
    path = folder / name
    if not os.path.lexists(path):
        os.mkfifo(path)
    return path


def sparse(folder: Path, name: str, size: int) -> Path:
    path = folder / name
    if not path.exists():
        with path.open("wb") as handle:
            handle.truncate(size)
    return path


def nested_json(folder: Path) -> Path:
    return write(folder / "nested.json", b'{"tool": "budgetaudit", "findings": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def wrong_json(folder: Path) -> Path:
    return write(folder / "wrong.json", json.dumps({"tool": "budgetaudit", "findings": [{"document": ["x"], "fingerprint": {"a": 1}}]}).encode())


def deep(levels: int) -> str:
    return "a: " + "[" * levels + "]" * levels + "\n"


def deep_block(levels: int) -> str:
    return "a:\n" + "- " * levels + "x\n"


# ---------- output ----------

def output_case(target: Callable[[Path], Path | str], fmt: str = "json") -> Callable[[Path], list]:
    def make(folder: Path) -> list:
        pdf = sample_copy(folder)
        return ["check", pdf, "--format", fmt, "-o", target(folder)]
    return make


def device_node(folder: Path) -> Path:
    """A character device like /dev/null, made in the test folder (root only): never the real one."""
    path = folder / "device"
    if not os.path.lexists(path):
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


def symlink_to_input(folder: Path) -> Path:
    link = folder / "link.json"
    if not os.path.lexists(link):
        os.symlink(folder / "doc.pdf", link)
    return link


def fsize_limit() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


# ---------- batch walks ----------

def deep_tree(folder: Path, levels: int = 1_100) -> list:
    top = folder / "tree"
    if not top.exists():
        path = str(top)
        os.mkdir(path)
        for _ in range(levels):  # os.makedirs recurses once per level
            path += "/d"
            os.mkdir(path)
        sample_copy(Path(path), "deep.pdf")
    return ["check", top, "-f", "json"]


def symlink_loop(folder: Path) -> list:
    top = folder / "loop"
    if not top.exists():
        (top / "a").mkdir(parents=True)
        sample_copy(top / "a")
        os.symlink(top, top / "a" / "back")
    return ["check", top, "-f", "json"]


def fifo_in_folder(folder: Path) -> list:
    top = folder / "mixed"
    if not top.exists():
        top.mkdir()
        sample_copy(top)
        os.mkfifo(top / "pipe.pdf")
    return ["check", top, "-f", "json"]


ESC = "\x1b[31m"


def escaped_name(folder: Path) -> Path:
    return sample_copy(folder, f"red{ESC}name.pdf")


def slow_pattern_rules(folder: Path) -> Path:
    phrases = "phrases:\n  remnants:\n    - {id: slow, pattern: '(.|..)+Ω', zh: 慢, en: slow}\n"
    rule = "id: X-SLOW-001\nextends: phrase\ntitle: slow\nseverity: error\npatterns: [slow]\n"
    return rule_folder(folder, {"phrases.yaml": phrases, "X-SLOW-001.yaml": rule})


def slow_cached(folder: Path) -> list:
    """The same slow document twice: the second run takes the model from the cache and must still time out."""
    pdf, rules = sample_copy(folder, real=True), slow_pattern_rules(folder)
    if not (folder / ".cache").exists():
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETAUDIT_CACHE": str(folder / ".cache")}
        subprocess.run([sys.executable, "-m", "budgetaudit", "check", pdf, "--timeout", "20"], cwd=folder, env=env, capture_output=True, timeout=120)
    return ["check", pdf, "--rules", rules, "--timeout", "4"]


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def readonly_folder(folder: Path) -> Path:
    target = folder / "locked"
    target.mkdir(exist_ok=True)
    target.chmod(0o555)
    return target / "report.json"


# ---------- the cases ----------

def cases() -> list[Case]:
    return OUTPUT + RULE_FILES + CONFIG_AND_BASELINE + PDFS + LIMITS_EVERYWHERE + WALKS + SMALLER


OUTPUT = [
    Case("output", "report over the input PDF", output_case(lambda f: f / "doc.pdf"), words=("输入文件",)),
    Case("output", "report over a symlink to the input", output_case(symlink_to_input), words=("输入文件",)),
    Case("output", "report over a device node", output_case(device_node), words=("不是普通文件",)),
    Case("output", "report over a FIFO", output_case(lambda f: fifo(f, "report.fifo")), words=("不是普通文件",)),
    Case("output", "report into an existing folder", output_case(lambda f: f), words=("文件夹",)),
    Case("output", "empty output path", output_case(lambda f: ""), words=("无法写入报告",)),
    Case("output", "baseline over the input PDF", lambda f: ["baseline", sample_copy(f), "-o", f / "doc.pdf"], words=("输入文件",)),
    Case("output", "report into a read-only folder (not as root)", output_case(readonly_folder), words=("无法写入报告",)),
    Case("output", "disk full (file size limit)", output_case(lambda f: f / "report.json"), words=("无法写入报告",), limits=fsize_limit),
    Case("output", "stdout closed", lambda f: ["check", sample_copy(f), "-f", "json"], stdout="closed", words=("stdout",)),
    Case("output", "stdout broken pipe", lambda f: ["check", sample_copy(f), "-f", "markdown"], stdout="broken", words=("无法写入报告",)),
    Case("output", "stdout closed, terminal report", lambda f: ["check", sample_copy(f)], stdout="closed", words=("stdout",)),
]

RULE_FILES = [
    Case("rule files", "a list where a name is expected", rule_case(GOOD_RULE.replace("extends: row_identity", "extends: [row_identity]")), words=("X-MINE-001.yaml:2",)),
    Case("rule files", "a list as the id", rule_case(GOOD_RULE.replace("id: X-MINE-001", "id: [X, Y]")), words=("X-MINE-001.yaml",)),
    Case("rule files", "a mapping where a list is expected", rule_case(GOOD_RULE.replace("tables: [expenditure_summary]", "tables: {a: b}")), words=("X-MINE-001.yaml:5",)),
    Case("rule files", "nested lists", rule_case(GOOD_RULE.replace("tables: [expenditure_summary]", "tables: [[expenditure_summary]]")), words=("X-MINE-001.yaml:5",)),
    Case("rule files", "a 5,000-digit integer", rule_case(GOOD_RULE + "tolerance: " + "9" * 5000 + "\n"), words=("X-MINE-001.yaml:8",)),
    Case("rule files", "a tolerance of 1E-200000000", rule_case(GOOD_RULE + 'tolerance: "1E-200000000"\n'), words=("tolerance",)),
    Case("rule files", "tolerance .nan", rule_case(GOOD_RULE + "tolerance: .nan\n"), words=("X-MINE-001.yaml:8",)),
    Case("rule files", "a message that pads to a gigabyte", rule_case(GOOD_RULE + "message: '{where:>999999999}'\n"), words=("X-MINE-001.yaml:8",)),
    Case("rule files", "100,000 levels of flow nesting", rule_case(GOOD_RULE + deep(100_000)), words=("嵌套",), seconds=20),
    Case("rule files", "100,000 levels of block nesting", rule_case(GOOD_RULE + deep_block(100_000)), words=("嵌套",), seconds=20),
    Case("rule files", "a rule file over the size limit", rule_case(GOOD_RULE + "#" * 300_000 + "\n"), words=("文件过大",)),
    Case("rule files", "a FIFO in the rules folder", special_rule_file("fifo"), words=("不是普通文件",), seconds=20),
    Case("rule files", "/dev/zero as a rule file", special_rule_file("zero"), words=("不是普通文件",), seconds=20),
    Case("rule files", "duplicate rule id in one folder", lambda f: ["check", sample_copy(f), "--rules", rule_folder(f, {"X-MINE-001.yaml": GOOD_RULE, "sub/X-MINE-001b.yaml": GOOD_RULE})], words=("重复的规则 id",)),
    Case("rule files", "invalid regular expression in phrases.yaml", data_case("phrases.yaml", "phrases:\n  empty_notes: ['(unclosed']\n"), words=("phrases.yaml:2", "正则")),
    Case("rule files", "catastrophic regular expression in phrases.yaml", data_case("phrases.yaml", "phrases:\n  remnants:\n    - {id: bad, pattern: '(a+)+b', zh: x, en: x}\n"), words=("phrases.yaml:3", "嵌套的量词")),
    Case("rule files", "a non-numeric profile value", data_case("profiles/mine.yaml", "profile: mine\nmin_signatures: many\ntables: [{kind: income_summary}]\n", REQUIRED), words=("mine.yaml:2",)),
    Case("rule files", "tables.yaml with the wrong shape", data_case("tables.yaml", "kinds: [a, b]\ncolumns: {}\n"), words=("tables.yaml:1",)),
    Case("rule files", "tables.yaml titles as a mapping", data_case("tables.yaml", "kinds:\n  mine:\n    titles: {a: b}\n"), words=("tables.yaml:3",)),
    Case("rule files", "concepts.yaml with a list of lists", data_case("concepts.yaml", "concepts:\n  mine:\n    aliases: [[a]]\n"), words=("concepts.yaml:3",)),
]

CONFIG_AND_BASELINE = [
    Case("config", "timeout: .nan", config_case("timeout: .nan\n"), words=("budgetaudit.yaml:1",)),
    Case("config", "timeout: .inf", config_case("timeout: .inf\n"), words=("budgetaudit.yaml:1",)),
    Case("config", "a 5,000-digit jobs", config_case("jobs: " + "9" * 5000 + "\n"), words=("budgetaudit.yaml:1",)),
    Case("config", "100,000 levels of nesting", config_case("waivers: " + "[" * 100_000 + "]" * 100_000 + "\n"), words=("嵌套",), seconds=20),
    Case("config", "a FIFO as --config", lambda f: ["check", sample_copy(f), "--config", fifo(f, "budgetaudit.yaml")], words=("不是普通文件",), seconds=20),
    Case("config", "a waiver of the wrong shape", config_case("waivers: {rule: X}\n"), words=("budgetaudit.yaml:1",)),
    Case("config", "--timeout inf", lambda f: ["check", sample_copy(f), "--timeout", "inf"], words=("--timeout",)),
    Case("baseline", "a FIFO as --baseline", baseline_case(lambda f: fifo(f, "base.json")), words=("不是普通文件",), seconds=20),
    Case("baseline", "/dev/zero as --baseline", lambda f: ["check", sample_copy(f), "--baseline", "/dev/zero"], words=("不是普通文件",), seconds=20),
    Case("baseline", "a huge baseline", baseline_case(lambda f: sparse(f, "huge.json", 200 * 2**20)), words=("文件过大",)),
    Case("baseline", "a deeply nested baseline", baseline_case(nested_json), words=("嵌套过深",)),
    Case("baseline", "entries of the wrong type", baseline_case(wrong_json), words=("fingerprint",)),
]

PDFS = [
    Case("pdf", "self-referencing object stream", lambda f: ["check", self_referencing_objstm(f), "--no-cache"], codes=(0, 1, 2)),
    Case("pdf", "deeply nested array in the content", lambda f: ["check", nested_array_pdf(f), "--no-cache"], codes=(0, 1, 2)),
    Case("pdf", "deeply nested dictionaries", lambda f: ["check", nested_resources_pdf(f), "--no-cache"], codes=(0, 1, 2)),
    Case("pdf", "a stream that inflates to 100 MB", lambda f: ["check", inflating_pdf(f), "--no-cache"], words=("解压后过大",)),
    Case("pdf", "a 12,000 x 12,000 ruling grid", lambda f: ["check", ruling_grid_pdf(f, 12_000), "--no-cache"], words=("第 1 页线条过多",)),
    Case("pdf", "a page 200,000 pt wide", lambda f: ["check", huge_page_pdf(f), "--no-cache"], words=("第 1 页尺寸过大",)),
    Case("pdf", "too many characters on a page", lambda f: ["check", many_chars_pdf(f, 30_000), "--no-cache"], words=("第 1 页字符过多",),
         env={"BUDGETAUDIT_LIMIT_PAGE_CHARS": "20000"}),
    Case("pdf", "memory limit in the worker", lambda f: ["check", many_chars_pdf(f, 100_000), "--no-cache"], words=("内存",),
         env={"BUDGETAUDIT_LIMIT_MEMORY_MB": "200", "BUDGETAUDIT_LIMIT_PAGE_CHARS": "0"}),
    Case("pdf", "a FIFO as the PDF", lambda f: ["check", fifo(f, "pipe.pdf")], words=("不是普通文件",), seconds=20),
    Case("pdf", "/dev/zero as the PDF", lambda f: ["check", "/dev/zero"], words=("不是普通文件",), seconds=20),
]

LIMITS_EVERYWHERE = [
    Case("limits", "inspect under the time limit", lambda f: ["inspect", long_pdf(f)], words=("超时",), env={"BUDGETAUDIT_LIMIT_TIMEOUT": "2"}, seconds=25),
    Case("limits", "inspect of a page too large", lambda f: ["inspect", huge_page_pdf(f)], words=("尺寸过大",)),
    Case("limits", "a slow rule on a cached document", slow_cached, words=("超时",), seconds=25),
    Case("limits", "HTML crop of a 14,000 pt page", lambda f: ["check", cjk_remnant_pdf(f, 14_000), "-f", "html", "-o", f / "out.html"], codes=CLEAN),
]

WALKS = [
    Case("walk", "a folder tree 1,100 levels deep", deep_tree, codes=CLEAN, seconds=90),
    Case("walk", "a symlink loop", symlink_loop, codes=CLEAN, seconds=90),
    Case("walk", "a FIFO named .pdf in a folder", fifo_in_folder, codes=CLEAN, words=("pipe.pdf",), seconds=90),
]

SMALLER = [
    Case("smaller", "escape sequences in a file name (terminal)", lambda f: ["check", escaped_name(f)], codes=CLEAN, absent=(ESC,)),
    Case("smaller", "escape sequences in a file name (markdown)", lambda f: ["check", escaped_name(f), "-f", "markdown"], codes=CLEAN, absent=(ESC,)),
    Case("smaller", "escape sequences in a file name (json)", lambda f: ["check", escaped_name(f), "-f", "json"], codes=CLEAN, absent=(ESC,)),
    Case("smaller", "escape sequences in a file name (html)", lambda f: ["check", escaped_name(f), "-f", "html"], codes=CLEAN, absent=(ESC,)),
    Case("smaller", "escape sequences in a file name (junit)", lambda f: ["check", escaped_name(f), "-f", "junit"], codes=CLEAN, absent=(ESC,)),
    Case("smaller", "escape sequences in a missing file's name", lambda f: ["check", f / f"no{ESC}such.pdf"], words=("\\x1b",), absent=(ESC,)),
    Case("smaller", "no third-party warnings on stderr", lambda f: ["check", write(f / "no-font.pdf", raw_pdf([TEXT.replace(b"/F1", b"/F9")])), "-f", "json", "--no-cache"],
         codes=CLEAN, quiet=True),
]


def remove_deep_tree(folder: Path, levels: int = 1_100) -> None:
    """shutil.rmtree recurses once per level: remove the deep tree bottom up."""
    path = str(folder / "tree") + "/d" * levels
    if not os.path.isdir(path):
        return
    for entry in os.listdir(path):
        os.unlink(os.path.join(path, entry))
    for _ in range(levels + 1):
        os.rmdir(path)
        path = os.path.dirname(path)
