"""Lines of a plan that are no task, whatever times they name: page furniture, remarks,
signatures, mottos and headings that only announce what follows."""
from __future__ import annotations

import re

# A numbered heading that only announces what follows: "四、每月工作要点", "（二）具体安排".
HEADING_ONLY = re.compile(r"^[^，,。；;]{0,10}(?:要点|安排|计划|目标|内容|措施|重点|思想|概况|要求|任务|工作|日程|预告)$")
# The foot of a notice: who signs it and when ("红星小学教务处", "xxxx年9月1日", "2024年2月16日").
SIGNATURE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,16}(?:学校|小学|中学|幼儿园|学院|教务处|政教处|德育处|办公室|校长室|教导处|园务办|园办|校办|教育局)|"
    r"(?:[\u4e00-\u9fff]{2,16}(?:校|园|学校|处|室|办|中心)\s+)?(?:[xX×＊*○〇]{2,4}|(?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])$"
)
# "安全第一，预防为主", "“文明礼仪，从我做起”": a motto, not an activity.
SLOGAN = re.compile(r"^[“\"「『]?[\u4e00-\u9fff]{3,7}(?:[，,！!][\u4e00-\u9fff]{3,7}){1,3}[！!。”\"」』]*$")
# Page furniture of a web page or a notice: its date is when it was posted, not a task.
METADATA = re.compile(
    r"^\s*(?:发布时间|发布日期|发表时间|更新时间|录入时间|时间[:：]\s*(?:19|20)\d{2}|来源|浏览|作者[:：]|当前位置|您的位置|"
    r"相关推荐|猜你喜欢|大家正在看|换一换|上一篇|下一篇|返回顶部|打印本页|关闭窗口|责任编辑|分享到)|放假通知(?:19|20)\d{2}|"
    r"(?:发布时间|发布日期|发表时间|更新时间|填表日期|填报日期|制表日期|印发日期|制表时间|制表|填表人|审核)\s*[:：]"
)
# "注：…", "备注：…": a remark on the plan, not a task of it.
REMARK = re.compile(r"^\s*(?:注|备注|说明|附)\s*[:：]")
# "第1周为9月1日—9月7日": how the plan counts its weeks, not a task.
WEEK_ONE = re.compile(r"(?<![月每])第\s*[1一]\s*周\s*(?:为|是|[:：](?=\s*\d))\s*")
