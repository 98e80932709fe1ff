"""Errors that reach the user as one line, in Chinese or English, with exit code 2."""
from __future__ import annotations

from pathlib import PurePath

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
EXIT_INTERNAL = 3  # a bug: one line on stderr (the traceback with --debug)

MESSAGES = {
    "missing": ("找不到文件：{path}", "File not found: {path}"),
    "directory": ("这是一个文件夹而不是 PDF 文件：{path}", "This is a directory, not a PDF file: {path}"),
    "not_pdf": ("不是 PDF 文件（文件头不是 %PDF）：{path}", "Not a PDF file (no %PDF header): {path}"),
    "empty_file": ("文件为空：{path}", "The file is empty: {path}"),
    "too_large": ("文件过大（{size} MB，上限 {limit} MB）：{path}", "File too large ({size} MB, limit {limit} MB): {path}"),
    "corrupt": ("PDF 文件已损坏或不完整，无法读取：{path}（{detail}）", "The PDF is corrupt or truncated and cannot be read: {path} ({detail})"),
    "encrypted": ("PDF 已加密，需要密码才能读取：{path}", "The PDF is encrypted and needs a password: {path}"),
    "no_pages": ("PDF 没有任何页面：{path}", "The PDF has no pages: {path}"),
    "too_many_pages": ("PDF 页数过多（{pages} 页，上限 {limit} 页）：{path}", "Too many pages ({pages}, limit {limit}): {path}"),
    "unreadable": (
        "无法读取文本：{path} 共 {pages} 页，均无可读的文字层（扫描件，或字体无法解码）。请提供带文字层的 PDF，或先进行 OCR。",
        "No text could be read: {path} has {pages} pages and none has a readable text layer (a scan, or fonts that cannot be decoded). Supply a PDF with text, or OCR it first.",
    ),
    "timeout": ("读取超时（超过 {seconds} 秒）：{path}", "Reading timed out (over {seconds} s): {path}"),
    "rule_file": ("规则文件错误 {where}：{detail}", "Rule file error {where}: {detail}"),
    "unknown_rule": ("没有这条规则：{rule}", "No such rule: {rule}"),
    "no_pdfs": ("在 {path} 中没有找到 PDF 文件", "No PDF files found in {path}"),
    "config": ("配置文件错误 {where}：{detail}", "Config file error {where}: {detail}"),
    "selection": ("规则选择错误 {where}：{detail}", "Rule selection error {where}: {detail}"),
    "baseline": ("基线文件错误 {path}：{detail}", "Baseline file error {path}: {detail}"),
    "crashed": ("读取时进程异常退出（退出码 {code}，可能超出内存上限）：{path}", "The reading process died (exit code {code}, possibly past the memory limit): {path}"),
    "internal": ("内部错误：{detail}（加 --debug 查看详情）：{path}", "Internal error: {detail} (use --debug for details): {path}"),
    "output": ("无法写入报告 {path}：{detail}", "Cannot write the report {path}: {detail}"),
    "not_regular": ("不是普通文件（管道、设备或套接字）：{path}", "Not a regular file (a pipe, device or socket): {path}"),
    "memory": ("读取时超出内存上限（{limit} MB，可用 BUDGETAUDIT_LIMIT_MEMORY_MB 调高）：{path}",
               "Memory limit exceeded while reading ({limit} MB; raise it with BUDGETAUDIT_LIMIT_MEMORY_MB): {path}"),
    "page_chars": ("第 {page} 页字符过多（{count} 个，上限 {limit}，BUDGETAUDIT_LIMIT_PAGE_CHARS）：{path}",
                   "Page {page} has too many characters ({count}, limit {limit}, BUDGETAUDIT_LIMIT_PAGE_CHARS): {path}"),
    "page_lines": ("第 {page} 页线条过多（{count} 条，上限 {limit}，BUDGETAUDIT_LIMIT_PAGE_LINES）：{path}",
                   "Page {page} has too many ruling lines ({count}, limit {limit}, BUDGETAUDIT_LIMIT_PAGE_LINES): {path}"),
    "page_size": ("第 {page} 页尺寸过大（{width} × {height} 磅，每边上限 {limit}）：{path}",
                  "Page {page} is too large ({width} × {height} pt, limit {limit} per side): {path}"),
    "stream_size": ("第 {page} 页的数据流解压后过大（上限 {limit} MB，BUDGETAUDIT_LIMIT_STREAM_MB）：{path}",
                    "Page {page}: a stream inflates past the limit ({limit} MB, BUDGETAUDIT_LIMIT_STREAM_MB): {path}"),
    "damaged": ("PDF 文件已损坏，无法读取：{path}（{detail}）", "The PDF is damaged and cannot be read: {path} ({detail})"),
}

_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}


def printable(text) -> str:
    """Text with control characters (terminal escape sequences, line breaks) shown as \\xNN."""
    return str(text).translate(_CONTROL)


class BudgetAuditError(Exception):
    """A problem with the input or a rule file: shown as one line, exit code 2."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key = key
        self.fields = fields

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES[self.key]
        fields = {k: printable(v) if isinstance(v, (str, PurePath)) else v for k, v in self.fields.items()}
        return (en if lang == "en" else zh).format(**fields)


class RuleFileError(BudgetAuditError):
    def __init__(self, path: str, line: int | None, detail: str):
        where = f"{path}:{line}" if line else path
        super().__init__("rule_file", where=where, detail=detail)
        self.path, self.line, self.detail = path, line, detail
