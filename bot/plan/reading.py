"""Open a plan file of any supported kind, refusing what is not a plan before parsing it."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from .document import PlanDocument
from .errors import PlanReadError
from .limits import check_text
from .read_docx import read_docx_plan
from .read_text import read_text_plan
from .read_xlsx import read_xlsx_plan

READERS = {".txt": read_text_plan, ".text": read_text_plan, ".docx": read_docx_plan, ".xlsx": read_xlsx_plan}
ZIP_MAGIC = b"PK\x03\x04"


def read_plan_bytes(data: bytes, name: str, max_bytes: int) -> PlanDocument:
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        hint = "，请另存为 .docx" if suffix == ".doc" else ("，请另存为 .xlsx" if suffix == ".xls" else "")
        raise PlanReadError(f"不支持的文件类型 {suffix or '（无扩展名）'}：请上传 .txt、.docx 或 .xlsx{hint}")
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    if not data.strip():
        raise PlanReadError(f"{name} 是空文件")
    if suffix in (".docx", ".xlsx") and not data.startswith(ZIP_MAGIC):
        kind = "Word 文档" if suffix == ".docx" else "Excel 表格"
        raise PlanReadError(f"{name} 不是有效的{kind}（文件内容与扩展名 {suffix} 不符）")
    document = READERS[suffix](data, name)
    check_text(sum(len(line.text) for line in document.lines), name)
    if not any(line.text.strip() for line in document.lines):
        raise PlanReadError(f"{name} 里没有文字内容")
    return replace(document, checksum=hashlib.sha256(data).hexdigest())


def read_plan_file(path: str | Path, max_bytes: int) -> PlanDocument:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:  # refuse before reading a huge file into memory
            raise _too_large(path.name, size, max_bytes)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise PlanReadError(f"找不到文件 {path}") from exc
    except IsADirectoryError as exc:
        raise PlanReadError(f"{path} 是文件夹，不是计划文件") from exc
    except PermissionError as exc:
        raise PlanReadError(f"没有权限读取 {path}") from exc
    return read_plan_bytes(data, path.name, max_bytes)


def _too_large(name: str, size: int, max_bytes: int) -> PlanReadError:
    return PlanReadError(
        f"{name} 有 {size / 1048576:.1f} MB，超过 {max_bytes / 1048576:.0f} MB 的上限；"
        "工作计划通常不到 1 MB，请确认文件是否正确"
    )
