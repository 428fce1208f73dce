"""Extraction on big portal templates: the article wins over comment boxes, rank lists,
disclaimers and metadata tables (pages written here, invented text)."""

from __future__ import annotations

from scrapers.extract import extract_article
from scrapers.extract_body import trim_junk

STORY = [
    (
        "本报讯（记者 周岚）5月8日，江川市总工会在高新区举行“劳动者港湾”建设推进会，"
        "全市首批二十个示范点同时挂牌，为快递员、环卫工人和网约车司机提供歇脚、饮水和充电服务。"
    ),
    (
        "推进会上，市总工会负责人介绍，示范点由工会牵头、企业和街道共建，"
        "每个点位都配备了冷暖空调、微波炉、急救药箱和图书角，并公布了开放时间和联系电话。"
    ),
    (
        "来自一家快递公司的投递员老钱说，以前午饭只能在车上解决，"
        "现在走几步就能到港湾里热饭、喝水，下雨天也有地方躲一躲，心里很暖和。"
    ),
    (
        "据了解，今年江川市计划再建成一百个劳动者港湾，并把服务时间延长到晚上九点，"
        "让更多户外劳动者在城市里找到自己的落脚点。"
    ),
]
TITLE = "江川市首批“劳动者港湾”示范点挂牌"


def paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def page(body: str, *, title: str = TITLE, site: str = "江川网") -> str:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}_{site}</title></head><body>'
        f'<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> '
        f'<a href="/gh">工会</a> <a href="/video">视频</a></div>{body}'
        f'<div class="footer">版权所有 {site} ICP备00000000号</div></body></html>'
    )


def assert_story(text: str) -> None:
    for line in STORY:
        assert line in text


def test_comment_box_and_rank_lists_longer_than_the_story_stay_out() -> None:
    """A portal article whose comments and 热榜 lists outweigh it still yields the article."""
    comments = "".join(
        f'<div class="item"><p>网友{i}号 2024-05-08 1{i % 10}:2{i % 6}</p>'
        f"<p>这个港湾建得真好，我们小区门口也希望能有一个，第{i}次给工会点赞，"
        f"希望以后能坚持开下去，别只是挂个牌子就完事了，大家说是不是？</p>"
        f"<p>回复 点赞({i * 3})</p></div>"
        for i in range(25)
    )
    ranks = "".join(
        f'<li><a href="/hot/{i}.html">热点关注：江川各区县职工服务活动第{i}期综述</a></li>'
        for i in range(1, 21)
    )
    # Unlabelled containers, the comments in a div named "content": nothing but the text
    # itself tells the story from the comments.
    body = (
        f"<div><h1>{TITLE}</h1><div>2024-05-08 16:20 来源：江川日报</div>"
        f"<div>{paragraphs(STORY)}</div></div>"
        f'<div class="content"><div>网友评论</div>{comments}</div>'
        f"<div><div>24小时热榜</div><ul>{ranks}</ul><div>本周点击排行</div><ul>{ranks}</ul></div>"
    )
    article = extract_article(page(body), "http://www.example.cn/a/1.html")
    assert_story(article.text)
    for junk in ("网友", "点赞", "回复", "热点关注"):
        assert junk not in article.text


def test_gazette_body_in_ucap_content_among_long_navigation() -> None:
    """A gazette page's body in div#UCAP-CONTENT is found among long link menus."""
    menus = "".join(
        f'<div class="menu"><h3>栏目{i}</h3><ul>'
        + "".join(
            f'<li><a href="/c{i}/{j}.htm">关于做好第{j}批职工服务工作的通知和有关事项说明</a></li>'
            for j in range(12)
        )
        + "</ul></div>"
        for i in range(6)
    )
    notice = [
        "各市总工会，省直各产业工会：",
        (
            "为贯彻落实关于推进户外劳动者服务站点建设的部署，进一步提升服务职工水平，"
            "现就做好二〇二四年“劳动者港湾”建设工作通知如下。"
        ),
        (
            "一、各地要把站点建设纳入年度重点工作，明确牵头部门和完成时限，"
            "确保每个县区至少建成五个标准化站点。"
        ),
        (
            "二、站点应当具备休息、饮水、加热、如厕、充电等基本功能，"
            "有条件的可以增设法律咨询和心理疏导服务。"
        ),
        (
            "三、各级工会要加强经费保障和日常管理，定期检查站点运行情况，"
            "于十二月底前将建设情况报送省总工会。"
        ),
    ]
    body = (
        f"{menus}<div class='gz-title'><h1>省总工会关于做好劳动者港湾建设工作的通知</h1></div>"
        f'<div id="UCAP-CONTENT">{paragraphs(notice)}</div>{menus}'
    )
    html = page(body, title="省总工会关于做好劳动者港湾建设工作的通知", site="江川省人民政府")
    article = extract_article(html, "http://www.example.gov.cn/gb/1.htm")
    for line in notice:
        assert line in article.text
    assert "第3批职工服务工作" not in article.text


def test_notice_with_a_metadata_table_above_the_body() -> None:
    """A 信息公开 notice yields its body, not the 索引号/发文机关 table above it."""
    rows = [
        ("索引号", "000000000/2024-00012"), ("主题分类", "劳动、人事、监察"),
        ("发文机关", "江川市总工会"), ("成文日期", "2024年05月06日"),
        ("标题", "江川市总工会关于开展劳动者港湾建设的通知"), ("发文字号", "江工发〔2024〕12号"),
        ("发布日期", "2024年05月08日"), ("主题词", "工会 服务 站点"),
    ]  # fmt: skip
    table = "".join(f"<tr><td>{k}：</td><td>{v}</td></tr>" for k, v in rows)
    body = (
        f'<div class="xxgk"><table class="meta">{table}</table>'
        f'<div class="content">{paragraphs(STORY)}</div></div>'
    )
    html = page(body, title="江川市总工会关于开展劳动者港湾建设的通知")
    article = extract_article(html, "http://www.example.gov.cn/xxgk/2.htm")
    assert_story(article.text)
    for junk in ("索引号", "发文机关", "主题分类"):
        assert junk not in article.text


def test_finance_page_with_a_long_disclaimer() -> None:
    """A finance page's long 免责声明 does not replace or trail the article."""
    disclaimer = (
        "免责声明：本网站所载文章、数据仅供参考，不构成投资建议，投资者据此操作，风险自担。"
        "本网站对文中陈述、观点判断保持中立，不对所包含内容的准确性、可靠性或完整性提供任何明示"
        "或暗示的保证。请读者仅作参考，并请自行承担全部责任。股市有风险，投资需谨慎。"
    ) * 4
    body = (
        f'<div class="article"><h1>{TITLE}</h1>{paragraphs(STORY)}</div>'
        f'<div class="disclaimer"><p>{disclaimer}</p></div>'
    )
    article = extract_article(page(body, site="江川财经"), "http://finance.example.cn/3.html")
    assert_story(article.text)
    assert "免责声明" not in article.text
    assert "不构成投资建议" not in article.text


def test_long_closing_paragraph_naming_banquan_suoyou_is_kept() -> None:
    """A long last paragraph that merely mentions 版权所有 stays in the body."""
    closing = (
        "会上还通报了一起侵权案件：某公司未经许可翻印工会编写的职工读本，"
        "封底赫然印着“版权所有”字样，市总工会已委托律师依法维权，并提醒各基层工会加强成果保护。"
    )
    assert trim_junk([*STORY, closing]) == [*STORY, closing]


def test_short_copyright_footer_line_is_dropped() -> None:
    """A short 版权所有 footer line after the story is dropped."""
    assert trim_junk([*STORY, "版权所有 江川市总工会 2024"]) == STORY
