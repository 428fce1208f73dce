"""Reading a pasted link's page (bytes written here): a WeChat article by its well-known
elements, a news page by the generic extractor, and pages that stand in front of the article."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from scrapers.links import is_wechat_article, read_link

BJ = ZoneInfo("Asia/Shanghai")
WECHAT_URL = "https://mp.weixin.qq.com/s/AbCdEf123"
BODY = ("省总工会今天召开新闻通气会，介绍全省职工劳动技能竞赛的安排。"
        "竞赛将持续到年底，覆盖制造、建筑和交通运输等十多个行业，参赛职工预计超过十万人。")


def wechat_page(*, shown_time: str = "", title: str = "职工技能竞赛启动") -> str:
    return f"""<html><head><meta property="og:title" content="{title}">
<meta name="author" content="记者 周立"></head><body>
<div id="img-content"><h1 class="rich_media_title" id="activity-name">
  {title}
</h1>
<div class="rich_media_meta_list"><span id="js_author_name">周立</span>
<a id="js_name">江淮职工之声</a><em id="publish_time">{shown_time}</em></div>
<div class="rich_media_content" id="js_content"><section><p>{BODY}</p>
<p>报名截止日期为五月底。</p></section></div></div>
<script>var nickname = htmlDecode("江淮职工之声"); var ct = "1714011900";</script>
</body></html>"""


def test_wechat_article_fields():
    """Title, account, author (people only), body paragraphs and the script's Unix time."""
    reading = read_link(wechat_page(), WECHAT_URL)
    assert reading.readable
    assert reading.title == "职工技能竞赛启动"
    assert reading.account == "江淮职工之声"
    assert reading.author == "周立"
    assert reading.body == BODY + "\n报名截止日期为五月底。"
    assert reading.published_at == datetime(2024, 4, 25, 10, 25, tzinfo=BJ)


def test_wechat_shown_time_wins():
    """A publish time printed in the page is read as Beijing time before the script's."""
    reading = read_link(wechat_page(shown_time="2024-04-26 08:30"), WECHAT_URL)
    assert reading.published_at == datetime(2024, 4, 26, 8, 30, tzinfo=BJ)


def test_wechat_verification_page_is_unreadable():
    """WeChat's 环境异常 page is reported as a verification page, with no title or body."""
    page = """<html><body><div class="weui-msg"><h2>环境异常</h2>
    <p>当前环境异常，完成验证后即可继续访问。</p><a id="js_verify">去验证</a></div></body></html>"""
    reading = read_link(page, WECHAT_URL)
    assert not reading.readable and reading.problem == "verification"
    assert (reading.title, reading.body) == ("", "")


def test_news_page_by_the_generic_extractor():
    """A news site's article: headline, body, date and the site's own name."""
    page = f"""<html><head><title>职工技能竞赛启动_江淮新闻网</title>
    <meta property="og:site_name" content="江淮新闻网"></head><body>
    <div class="nav"><a href="/">首页</a></div>
    <h1>职工技能竞赛启动</h1><div class="info">2024-04-25 10:05 来源：江淮新闻网</div>
    <div class="article"><p>{BODY}</p><p>{BODY}</p></div></body></html>"""
    reading = read_link(page, "http://news.jianghuai.test/a/1.html")
    assert reading.readable and reading.title == "职工技能竞赛启动"
    assert BODY in reading.body and reading.account == "江淮新闻网"
    assert reading.published_at == datetime(2024, 4, 25, 10, 5, tzinfo=BJ)


def test_login_wall_is_unreadable():
    """A page that asks for a login instead of the story is reported as such."""
    page = """<html><head><title>职工技能竞赛启动</title></head><body><h1>职工技能竞赛启动</h1>
    <p>请登录后查看全文。</p></body></html>"""
    reading = read_link(page, "http://app.news.test/a/2")
    assert reading.problem == "login"


def test_wechat_links_told_apart():
    """Only mp.weixin.qq.com/s… links are WeChat articles."""
    assert is_wechat_article(WECHAT_URL)
    assert is_wechat_article("https://mp.weixin.qq.com/s?__biz=MzA&mid=1")
    assert not is_wechat_article("https://weixin.qq.com/s/x")
