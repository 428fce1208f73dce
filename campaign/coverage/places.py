"""Where a piece of news takes place: China's provinces and the prefecture-level cities of each.

A provincial campaign's coverage happens at home; a report that places its event in another
province (or at national level) is another federation's activity of the same kind. The
provinces a text names are plain evidence of that. A city only ever speaks for home: a report
from the provincial capital that mentions workers heading to another province is still at
home, while another province's city names are too often ordinary words (安康杯, 长治久安,
中山路) to place a piece anywhere. The table holds facts (the administrative divisions by the
short names the press uses, with a few since renamed or merged), not any newsroom's wording.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# China's provincial-level divisions, by the short names the press uses.
PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
             "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
             "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏",
             "新疆", "台湾", "香港", "澳门")

# Prefecture-level cities and prefectures of each province (the municipalities' own names are
# their cities). Left out: names shared with a province (吉林; 海南 in 青海) and names that are
# also everyday words or names of streets and trophies (安康杯, 长治久安, 中山路, 来宾, 阿里,
# 山南海北, 普洱茶, 海西 for the Fujian coast), which would speak for a home they do not mean.
CITIES: Mapping[str, str] = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": ("呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 "
                "呼伦贝尔 巴彦淖尔 乌兰察布 兴安盟 锡林郭勒 阿拉善"),
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 四平 辽源 通化 白山 松原 白城 延边",
    "黑龙江": ("哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 "
                "伊春 佳木斯 七台河 牡丹江 黑河 绥化 大兴安岭"),
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": ("合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 "
              "黄山 滁州 阜阳 宿州 巢湖 六安 亳州 池州 宣城"),
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": ("济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 "
              "泰安 威海 日照 莱芜 临沂 德州 聊城 滨州 菏泽"),
    "河南": ("郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 "
              "许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源"),
    "湖北": ("武汉 黄石 十堰 宜昌 襄阳 襄樊 鄂州 荆门 孝感 "
              "荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门 神农架"),
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西",
    "广东": ("广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 "
              "惠州 梅州 汕尾 河源 阳江 清远 东莞 潮州 揭阳 云浮"),
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": ("成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 "
              "南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山"),
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南 黔东南 黔南",
    "云南": ("昆明 曲靖 玉溪 保山 昭通 丽江 思茅 临沧 "
              "楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆"),
    "西藏": "拉萨 日喀则 昌都 林芝 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南",
    "青海": "西宁 海东 海北 黄南 果洛 玉树",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": ("乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 "
              "阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰 石河子"),
    "台湾": "台北 高雄 台中 台南",
}


@lru_cache(maxsize=1)
def _city_table() -> tuple[re.Pattern[str], dict[str, str]]:
    province_of = {city: province for province, names in CITIES.items()
                   for city in names.split()}
    names = sorted(province_of, key=len, reverse=True)  # the longest name first
    return re.compile("|".join(map(re.escape, names))), province_of


SCOPE_CHARS = 60  # the headline and the start of the lead say where an event took place

# How a provincial or city outlet speaks of its own place: news that says so is from home,
# whatever other province it also names.
HOME_WORDS = ("我省", "本省", "我市", "本市")

# A province named as part of a street's name (江西路, 北京大街) places nothing.
_PROVINCE_NAMES = re.compile("(?:" + "|".join(sorted(PROVINCES, key=len, reverse=True))
                             + ")(?!路|街|大街|大道|中路|东路|西路|南路|北路)")

# The one-character names of provinces that stand for them in headlines (闽宁协作, 皖企), kept
# only where the character is rarely anything else; they speak for home, never elsewhere.
ABBREVIATIONS: Mapping[str, str] = {
    "皖": "安徽", "闽": "福建", "赣": "江西", "粤": "广东", "湘": "湖南", "鄂": "湖北",
    "豫": "河南", "鲁": "山东", "冀": "河北", "黔": "贵州", "滇": "云南", "陇": "甘肃",
    "琼": "海南", "渝": "重庆", "沪": "上海", "陕": "陕西", "浙": "浙江",
}


def provinces_in(folded: str) -> set[str]:
    """The provinces named in folded text (by a province's own name)."""
    return set(_PROVINCE_NAMES.findall(folded))


def city_provinces_in(folded: str) -> set[str]:
    """The provinces whose cities folded text names."""
    pattern, province_of = _city_table()
    return {province_of[name] for name in pattern.findall(folded)}


def abbreviated_provinces_in(folded: str) -> set[str]:
    """The provinces whose one-character names folded text holds."""
    return {province for char, province in ABBREVIATIONS.items() if char in folded}


def home_provinces_in(folded: str) -> set[str]:
    """The provinces a name speaks for, by province, city or one-character name (合肥日报 and
    皖工网 are at home in 安徽)."""
    return provinces_in(folded) | city_provinces_in(folded) | abbreviated_provinces_in(folded)



@dataclass(frozen=True, slots=True)
class Places:
    """Where a piece's headline and lead place it: the provinces they name, the provinces
    whose cities they name, and whether the outlet speaks of its own province or city (我省)."""

    named: frozenset[str] = frozenset()
    by_city: frozenset[str] = frozenset()  # ... or by one-character name
    own: bool = False


def places_of(folded_head: str) -> Places:
    """The places a folded headline and lead name."""
    return Places(frozenset(provinces_in(folded_head)),
                  frozenset(city_provinces_in(folded_head) | abbreviated_provinces_in(folded_head)),
                  any(word in folded_head for word in HOME_WORDS))


def placed_elsewhere(places: Places, home: frozenset[str]) -> bool:
    """Whether a piece so placed took place in another province than `home` (the campaign's):
    it names a province, none of home, and neither a home city nor its own province (我省)."""
    return (bool(home) and bool(places.named) and not places.own
            and not (places.named | places.by_city) & home)


NOWHERE = Places()  # a piece that names no place
