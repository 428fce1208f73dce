"""Who acts in a piece: the government departments and mass organisations a headline or lead
names, against those the campaign's plan names.

A trade-union federation's campaign is reported as the union's doing: its coverage names 工会
(the federation, a city or enterprise union) where it says who acted. A look-alike held by
another body — the human-resources department's briefing, the women's federation's meeting on
the same festival, the tax office's consultation day — names that body there instead, and no
union. Bodies the plan itself names (a co-organiser) are the campaign's own.

The names are facts of Chinese public administration: the stems of the departments every
province, city and county has (人力资源和社会保障厅, 教育局, 应急管理局 …), the people's
government, the courts, and the mass organisations beside the unions (妇联, 共青团, 残联 …).
"""

from __future__ import annotations

import re

# Each body's names, its short name first (what it is known by); long forms come before their
# abbreviations, so the pattern takes the longest name that fits.
_DEPARTMENTS: tuple[tuple[str, ...], ...] = (
    ("发改", "发展和改革", "发展改革"), ("教育",), ("科技", "科学技术"),
    ("工信", "工业和信息化", "经济和信息化", "经信"), ("民宗", "民族宗教"), ("公安",), ("民政",),
    ("司法",), ("财政",), ("人社", "人力资源和社会保障", "人力资源", "劳动保障"),
    ("国土", "自然资源", "国土资源"), ("环保", "生态环境", "环境保护"),
    ("住建", "住房和城乡建设", "住房城乡建设", "建设"), ("交通", "交通运输"), ("水利",),
    ("农业", "农业农村"), ("商务",), ("文旅", "文化和旅游", "文化旅游", "文化", "旅游"),
    ("卫健", "卫生健康", "卫生计生", "卫计", "卫生"), ("退役军人", "退役军人事务"),
    ("应急", "应急管理", "安全生产监督管理", "安全监管", "安监"), ("审计",),
    ("国资", "国有资产监督管理"),
    ("市场监管", "市场监督管理", "工商行政管理", "工商", "质量技术监督", "质监", "食品药品监督管理",
     "食药监"),
    ("税务", "地税", "国税"), ("统计",), ("医保", "医疗保障"), ("体育",), ("林业",), ("气象",),
    ("地震",), ("信访",), ("粮食",), ("物价",), ("广电", "新闻出版", "广播电视"), ("扶贫",),
    ("外事",), ("侨务",), ("海关",), ("金融",),
)
_OTHERS: tuple[tuple[str, ...], ...] = (
    ("政府", "人民政府", "省政府", "市政府", "县政府", "区政府", "州政府", "国务院"),
    ("法院", "人民法院", "省法院", "市法院", "县法院", "区法院"),
    ("检察院", "人民检察院", "省检察院", "市检察院", "县检察院", "区检察院"),
    ("妇联", "妇女联合会"), ("共青团", "团中央", "团省委", "团市委", "团县委", "团区委"),
    ("残联", "残疾人联合会"), ("科协",), ("工商联",), ("侨联",), ("文联",), ("红十字会",),
    ("消协", "消费者协会"),
)
_SHORT = {name: names[0] for names in _DEPARTMENTS for name in names}
_SHORT.update({name: names[0] for names in _OTHERS for name in names})
_ORGANS = re.compile(
    "(" + "|".join(name for names in _DEPARTMENTS for name in names) + ")(?:厅|局|委员会|委|部门)"
    "|(" + "|".join(sorted((name for names in _OTHERS for name in names), key=len, reverse=True))
    + ")"
)
UNION = "工会"  # the federation, its city and county unions, an enterprise's union
ORGAN_CHARS = 120  # the headline and this much of the lead say who acted


def organs_in(folded: str) -> frozenset[str]:
    """The bodies (other than unions) this folded text names, each by its short name (省人力资源
    和社会保障厅 and 市人社局 are both 人社: which level acted does not matter here)."""
    return frozenset(_SHORT[department or other] for department, other in _ORGANS.findall(folded))


def other_body(head: str, organs: frozenset[str], own: frozenset[str]) -> bool:
    """Whether a piece's headline and lead (`head`, folded) name a body the plan does not
    (`own`) and no union: another body's activity."""
    return bool(organs - own) and UNION not in head
