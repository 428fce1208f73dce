
"""工人日报 (central workers' daily, HTML list page): reprints of Anhui stories plus near misses.

All text is invented for the demo. Reprints carry "来源：安徽日报" / "来源：安徽工人日报".
"""

from __future__ import annotations

from .model import Article, Reprint, art

C = "grrb"

ARTICLES: list[Article] = [
    art(C, "04-24", "各地受表彰代表陆续抵京", """
本报讯 连日来，来自全国各地的全国五一劳动奖状、奖章获得者代表陆续抵达北京，参加即将举行的庆祝“五一”国际劳动节暨表彰大会。代表们在驻地参观了表彰成果展，部分代表将作为宣讲团成员，在会后赴各地宣讲劳模事迹。不少代表是第一次来北京，大家表示，要珍惜这次难得的学习机会，把各地的好经验带回去，在各自岗位上再立新功。
""", kind="near_miss", near_miss_of=["send-off"], page=1, author=""),

    art(C, "04-28", "江苏：争当排头兵 建功十一五", """
本报南京4月27日电（记者 周明）江苏省总工会今天召开庆祝“五一”国际劳动节暨“建功十一五、争当排头兵”动员大会。大会表彰了100个江苏省五一劳动奖状获得单位和300名奖章获得者，并启动了全省职工“十一五”劳动竞赛。

江苏省总工会负责人表示，全省各级工会将围绕“两个率先”目标，组织职工开展技术创新和节能降耗竞赛，力争竞赛覆盖全省规模以上企业。
""", kind="near_miss", near_miss_of=["rally"], page=2, author="记者 周明"),

    art(C, "05-12", "全总部署农民工入会集中行动", """
本报讯 中华全国总工会日前下发通知，部署在全国开展新一轮农民工入会集中行动。通知要求，各级工会以建筑、煤矿、餐饮服务等农民工集中的行业为重点，创新入会方式，努力把更多农民工吸收到工会中来，切实维护他们的合法权益。通知还要求，各地要加强对农民工会员的服务，为他们提供法律援助、技能培训和就业信息，让农民工真正感受到工会是“娘家”。
""", page=1, author=""),
]

REPRINTS: list[Reprint] = [
    Reprint("ahgrb-sendoff", C, "04-26", title="安徽48名先进代表赴京受表彰", page=2,
            lead="4月24日上午，安徽省总工会在合肥火车站举行欢送仪式，欢送赴京受表彰的全国"
                 "先进集体和先进个人代表。"),
    Reprint("ahgrb-briefing", C, "04-27", title="安徽举行新闻发布会启动工会工作宣传月", page=2,
            drop=(2,)),
    Reprint("ahrb-rally", C, "04-29", title="安徽职工当好主力军建功十一五", page=2, drop=(2,)),
    Reprint("ahgrb-commentary", C, "05-01", page=3),
    Reprint("ahrb-fengxian", C, "05-06", title="安徽重点工程一线的奉献者", page=3, drop=(3,)),
    Reprint("ahgrb-col-5", C, "05-09", title="六十万公里的安全与温情", page=3),
    Reprint("ahgrb-hotline", C, "05-16", title="安徽工会热线直播现场受理职工诉求", page=2),
]
