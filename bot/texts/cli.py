"""What `python -m bot …` prints and asks (its English help texts stay with the commands)."""

ERROR_PREFIX = "错误："                 # before a UserError's message on stderr
CONFIG_ERROR = "config: {error}"       # a ConfigError, as click shows it ("Error: config: …")
TERM_START_HELP = "First day of term (YYYY-MM-DD), for week numbers such as 第3周."
OUTPUT_HELP = "Where to write (default: 进度-TERM.FORMAT here)."
EXPORT_FILE = "进度-{term}.{format}"
LISTENING = ("校务助手 listening on http://{host}:{port} (office pages: /admin, DingTalk: /dingtalk/callback, "
             "WeCom: /wecom/callback)")
CHAT_HELLO = "校务助手：你好{speaker}！可以问“本周有什么任务”，发“帮助”看全部用法。"
CHAT_SPEAKER = "（以{name}的身份）"
CHAT_ANYONE = "老师"                    # the prompt's name when speaking as nobody in particular
NEW_PASSWORD = "新密码"
PASSWORD_AGAIN = "再输入一次"
CLI_PASSWORD_TOO_SHORT = "密码至少 {count} 位"
SETUP_ALREADY_DONE = "已设置完成：请用办公室密码登录 /admin（忘记密码时，在配置文件里设置 admin_web.password_hash）。"
SETUP_CODE = "设置码：{code}（在 /admin/setup 输入）"
NO_ROSTER_LISTED = "还没有导入教师名单：python -m bot members import 名单.xlsx"
MEMBER_DINGTALK = "钉钉 {id}"
MEMBER_WECOM = "企业微信 {id}"
MEMBER_ADMIN = "管理员"
