"""Extraction on big portal templates: the article wins over comment boxes, rank lists,
disclaimers and metadata tables (pages written here, invented text)."""

from __future__ import annotations

import pytest

from scrapers import extract_body
from scrapers.extract import extract_article
from scrapers.extract_body import trim_junk
from scrapers.extract_quality import judge

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


NOTICE = [
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
DISCLAIMER = [
    "本网站所载文章、数据仅供参考，不构成投资建议，投资者据此操作，风险自担。",
    (
        "本网站对文中陈述、观点判断保持中立，不对所包含内容的准确性、可靠性或完整性"
        "提供任何明示或暗示的保证，请读者仅作参考。"
    ),
    (
        "市场有风险，投资需谨慎。本网站不对因使用上述信息而导致的任何直接或间接损失"
        "承担责任，读者应当自行判断并承担全部责任。"
    ),
    (
        "凡本网站注明来源为其他媒体的内容，均为转载自其他媒体，转载目的在于传递更多信息，"
        "并不代表本网站赞同其观点和对其真实性负责。"
    ),
]


def test_gazette_body_in_ucap_content_among_long_navigation() -> None:
    """A gazette page's body in div#UCAP-CONTENT wins over long tables of dated links."""
    menus = "".join(
        f"<table><tr><td>栏目{i}</td></tr>"
        + "".join(
            f'<tr><td><a href="/c{i}/{j}.htm">关于做好第{j}批职工服务工作的通知</a></td>'
            f"<td>2024-0{1 + j % 9}-1{j % 10}</td></tr>"
            for j in range(15)
        )
        + "</table>"
        for i in range(5)
    )
    title = "省总工会关于做好劳动者港湾建设工作的通知"
    body = (
        f"<div>{menus}</div><div><h1>{title}</h1><p>【字体：大 中 小】 打印本页 关闭窗口</p>"
        f'<div id="UCAP-CONTENT">{paragraphs(NOTICE)}</div></div><div>{menus}</div>'
    )
    article = extract_article(
        page(body, title=title, site="江川省人民政府"), "http://www.example.gov.cn/gb/1.htm"
    )
    assert article.paragraphs == NOTICE


def test_notice_with_a_metadata_table_above_the_body() -> None:
    """A 信息公开 notice yields its body, not the 索引号/发文机关 table above it."""
    rows = [
        ("索引号", "000000000/2024-00012"), ("主题分类", "劳动、人事、监察"),
        ("发文机关", "江川市总工会"), ("成文日期", "2024年05月06日"),
        ("标题", "江川市总工会关于开展劳动者港湾建设的通知"), ("发文字号", "江工发〔2024〕12号"),
        ("发布日期", "2024年05月08日"), ("主题词", "工会 服务 站点"),
    ]  # fmt: skip
    table = "".join(
        f"<tr><th>{k}：</th><td>{v}</td><th>{k}：</th><td>{v}</td></tr>" for k, v in rows
    )
    body = f"<div><table>{table}</table>" + "".join(f"<div>{x}</div>" for x in STORY) + "</div>"
    html = page(body, title="江川市总工会关于开展劳动者港湾建设的通知")
    article = extract_article(html, "http://www.example.gov.cn/xxgk/2.htm")
    assert article.paragraphs == STORY


def test_finance_disclaimer_in_the_content_block_does_not_replace_the_story() -> None:
    """A long disclaimer in the block named "article-content" does not replace the story."""
    body = (
        f"<div><h1>{TITLE}</h1><div>{paragraphs(STORY)}</div></div>"
        f'<div class="article-content"><p>免责声明：</p>{paragraphs(DISCLAIMER * 2)}</div>'
    )
    article = extract_article(page(body, site="江川财经"), "http://finance.example.cn/3.html")
    assert article.paragraphs == STORY


def test_finance_disclaimer_after_the_story_is_cut() -> None:
    """A 风险提示 of several paragraphs after the story is cut from the body's end."""
    lines = ["风险提示：", *DISCLAIMER]
    assert trim_junk([*STORY, *lines]) == STORY


def test_site_disclaimer_without_heading_is_cut_but_a_story_warning_stays() -> None:
    """Closing lines where the site disclaims are cut; the story's own 投资需谨慎 is kept."""
    story = [*STORY, "业内人士提醒，股市有风险，投资需谨慎，职工理财要量力而行。"]
    assert trim_junk([*story, *DISCLAIMER]) == story


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


def test_quality_check_passes_the_story() -> None:
    """The story's paragraphs pass the quality check with its headline."""
    assert judge(STORY, title=TITLE).passed


def test_quality_check_fails_a_comment_box() -> None:
    """Comments with their 网友/回复/点赞 lines fail the check, though they are sentences."""
    comments = []
    for i in range(10):
        comments += [
            f"网友{i}号 2024-05-08 10:2{i}",
            "希望港湾能一直开下去，给工会点赞！",
            "回复 点赞",
        ]
    assert not judge(comments, title=TITLE).passed


def test_quality_check_fails_a_rank_list() -> None:
    """A list of linked headlines fails the check: it is link text, not sentences."""
    ranks = [f"江川各区县职工服务活动第{i}期综述" for i in range(20)]
    assert not judge(ranks, anchors=frozenset(ranks), title=TITLE).passed


def test_quality_check_fails_a_metadata_table() -> None:
    """索引号/发文机关 cells fail the check even though they share the headline's words."""
    cells = ["索引号：", "000000000/2024-00012", "发文机关：", "江川市总工会", "标题：", TITLE]
    assert not judge(cells, title=TITLE).passed


def test_quality_check_fails_a_disclaimer() -> None:
    """A disclaimer fails the check although it is written in long sentences."""
    assert not judge(["免责声明：", *DISCLAIMER], title=TITLE).passed


def test_extra_candidates_run_only_when_the_first_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean page costs one trafilatura call and no readability call."""
    calls: list[str] = []
    real = extract_body.from_trafilatura

    def counting_trafilatura(text: str, *, url: str | None, precision: bool = True) -> list[str]:
        calls.append("trafilatura")
        return real(text, url=url, precision=precision)

    def counting_readability(text: str, *, url: str | None) -> list[str]:
        calls.append("readability")
        return []

    monkeypatch.setattr(extract_body, "from_trafilatura", counting_trafilatura)
    monkeypatch.setattr(extract_body, "from_readability", counting_readability)
    body = f"<div><h1>{TITLE}</h1><div class='article'>{paragraphs(STORY)}</div></div>"
    article = extract_article(page(body), "http://www.example.cn/a/5.html")
    assert article.paragraphs == STORY
    assert calls == ["trafilatura"]
