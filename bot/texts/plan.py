"""Importing a plan: what an import did, and why a file cannot be read as a plan (PlanReadError)."""

# --- an import's outcome (command line) -------------------------------------------------------
IMPORT_DONE = "已导入《{name}》（{school_year}）：共 {total} 项，新增 {added} 项，保留 {kept} 项，撤下 {withdrawn} 项。"
IMPORT_EMPTY = "已导入《{name}》，但没有找到任何带日期、周期或学期节点的事项，未排入任务。"
SAMPLE_SKIPPED = "数据库里已有计划，没有再导入示例计划（办公室的修改保持不变）。"
UNKNOWN_YEAR = "学年未知"

# --- the file -----------------------------------------------------------------------------------
UNSUPPORTED_KIND = "不支持的文件类型 {suffix}：请上传 .txt、.docx 或 .xlsx{hint}"
SAVE_AS_DOCX = "，请另存为 .docx"
SAVE_AS_XLSX = "，请另存为 .xlsx"
EMPTY_PLAN = "{name} 是空文件"
WORD_DOCUMENT = "Word 文档"
EXCEL_WORKBOOK = "Excel 表格"
CONTENT_NOT_SUFFIX = "{name} 不是有效的{kind}（文件内容与扩展名 {suffix} 不符）"
NO_TEXT = "{name} 里没有文字内容"
PLAN_NOT_FOUND = "找不到文件 {path}"
PLAN_IS_FOLDER = "{path} 是文件夹，不是计划文件"
PLAN_NOT_PERMITTED = "没有权限读取 {path}"
PLAN_TOO_LARGE = "{name} 有 {mb:.1f} MB，超过 {limit:.0f} MB 的上限；工作计划通常不到 1 MB，请确认文件是否正确"
NOT_DOCX = "{name} 不是有效的 Word 文档（.docx）。如果是旧版 .doc，请在 Word 中另存为 .docx"
DOCX_BROKEN = "{name} 已损坏，无法作为 Word 文档读取"
NOT_XLSX = "{name} 不是有效的 Excel 表格（.xlsx）。如果是旧版 .xls，请另存为 .xlsx"
XLSX_BROKEN = "{name} 已损坏，无法作为 Excel 表格读取"
BINARY_NOT_TEXT = "{name} 看起来是二进制文件，不是文本计划（请上传 .txt、.docx 或 .xlsx）"
ENCODING_UNKNOWN = "{name} 的文字编码无法识别（支持 UTF-8 和 GBK/GB18030），请另存为 UTF-8 后重试"
ENCODING_BROKEN = "{name} 的文字编码有误（{encoding}），请另存为 UTF-8 后重试"

# --- limits (bot/plan/limits.py) -------------------------------------------------------------
TOO_BIG = "{name} 内容过大（{what}），不像一份工作计划；请检查文件，或拆成几份再导入"
TOO_MANY_PARTS = "包含 {count} 个部件"
UNPACKS_TOO_LARGE = "解压后超过 {mb} MB"
ODD_RATIO = "压缩比异常"
TOO_MANY_PARAGRAPHS = "超过 {count} 段"
TOO_MANY_ROWS = "超过 {count} 行"
TOO_MANY_CHARACTERS = "超过 {count} 万字"
TOO_MANY_ITEMS = "{name} 找到 {count} 项任务，超过一份计划 {limit} 项的上限；请检查文件，或拆成几份再导入"
PLAN_BROKEN = "{name} 已损坏，无法读取"

# --- the command line's options ---------------------------------------------------------------
SCHOOL_YEAR_OPTION = "--school-year 格式不对：{value}（应为 2023-2024 或 2024）"
TERM_START_OPTION = "--term-start 格式不对：{value}（应为 2024-09-01）"
