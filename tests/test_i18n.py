"""The English catalogue: complete for the code as it stands, compiled, and used by the pages.

The message ids are the Chinese strings of the interface, so Chinese needs no catalogue and
English needs every one of them translated. Regenerate with the commands at the top of babel.cfg.
"""

from __future__ import annotations

import re
import shlex
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from tests.html import field_errors

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
MESSAGES = ROOT / "campaign" / "translations" / "en" / "LC_MESSAGES"
PO_FILE = MESSAGES / "messages.po"
MO_FILE = MESSAGES / "messages.mo"

# A printf conversion: %(name)s, %d, %(m)02d ... (%% is a literal percent sign, not a placeholder).
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)


def extract_keywords() -> dict[str, object]:
    """Babel's default keywords plus the -k options of the extract command babel.cfg documents."""
    lines = [line.lstrip("# ").strip() for line in BABEL_CFG.read_text("utf-8").splitlines()]
    command = next(line for line in lines if line.split()[:1] and "pybabel extract" in line)
    words = shlex.split(command)
    extra = [words[i + 1] for i, word in enumerate(words) if word in ("-k", "--keyword")]
    assert {"_l", "lazy_gettext"} <= {k.split(":")[0] for k in extra}, command
    return {**DEFAULT_KEYWORDS, **parse_keywords(extra)}


def extract_template(tmp_path: Path) -> Catalog:
    """Extract the messages of the code and templates now in the checkout into a temp .pot."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(BABEL_CFG))
    template = Catalog(project="campaign-tracker")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=extract_keywords()
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    pot = tmp_path / "messages.pot"
    with pot.open("wb") as out:
        write_po(out, template)
    with pot.open("rb") as back:
        return read_po(back)


def committed_po() -> Catalog:
    with PO_FILE.open("rb") as po:
        return read_po(po, locale="en")


def translations(catalog: Catalog) -> dict[tuple[object, str | None], object]:
    """{(msgid, context): msgstr} for every message but the header."""
    return {(m.id, m.context): m.string for m in catalog if m.id}


def placeholders(text: str) -> list[tuple[str | None, str]]:
    return sorted(((m["name"], m["type"]) for m in PLACEHOLDER.finditer(text)
                   if m["type"] != "%"), key=str)


def test_every_message_has_an_english_translation(tmp_path: Path) -> None:
    """Every message the code and templates use now has a non-empty, non-fuzzy English msgstr."""
    template = extract_template(tmp_path)
    assert len(template) > 100, "extraction found too few messages: check babel.cfg"
    po = committed_po()
    problems = []
    for message in template:
        if not message.id:
            continue
        entry = po.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        if isinstance(strings, str | type(None)):
            strings = (strings,)
        if entry is None or entry.fuzzy or not all(s and s.strip() for s in strings):
            problems.append(message.id)
    assert not problems, (
        f"{len(problems)} message(s) without an English translation (run the commands at the "
        f"top of babel.cfg, then translate): {problems}"
    )


def test_committed_mo_is_compiled_from_the_po() -> None:
    """The committed messages.mo holds exactly what compiling the committed messages.po gives."""
    compiled = BytesIO()
    write_mo(compiled, committed_po())
    compiled.seek(0)
    with MO_FILE.open("rb") as mo:
        committed = read_mo(mo)
    expected = translations(read_mo(compiled))
    assert translations(committed) == expected, "messages.mo is stale: run pybabel compile"


def test_translations_keep_the_placeholders() -> None:
    """Each English msgstr in use has the same %(name)s placeholders (and conversions) as its id."""
    wrong = []
    for message in committed_po():
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if any(placeholders(s) != placeholders(ids[0]) for s in strings if s):
            wrong.append((message.id, message.string))
    assert not wrong, wrong


def test_pages_are_chinese_by_default(client, login, make) -> None:
    """Without a chosen language the page is Chinese, even for a browser asking for English."""
    login("officer")
    make.campaign()
    response = client.get("/campaigns", headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "宣传活动" in html
    assert "宣教干部" in html


def test_pages_are_english_once_chosen(client, login, make) -> None:
    """After POST /language with locale=en the same page is in English, with lang="en"."""
    login("officer")
    make.campaign()
    switched = client.post("/language", data={"locale": "en", "next": "/campaigns"})
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith("/campaigns")
    html = client.get("/campaigns").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<h1>Campaigns</h1>" in html
    assert "Outlet directory" in html
    assert "(Officer)" in html
    assert "宣传活动" not in html
    assert "宣教干部" not in html


def test_words_with_two_meanings_read_right_in_english(client, login, make) -> None:
    """活动 (campaign or event) and 停用 (a state or a button) are told apart in English: "New
    campaign" on the campaign list, "New event" on a campaign, "Disable" on a source's button."""
    login("admin")
    campaign = make.campaign()
    source = make.source()
    client.post("/language", data={"locale": "en", "next": "/campaigns"})
    assert ">New campaign<" in client.get("/campaigns").get_data(as_text=True)
    assert ">New event<" in client.get(f"/campaigns/{campaign.slug}").get_data(as_text=True)
    detail = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert ">Disable<" in detail


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "slug": "pm-2007", "starts_on": "2007-04-25", "ends_on": "2007-05-25"},
         "name", "Please enter a name"),
        ({"name": "Month", "slug": "pm-2007", "starts_on": "2007-05-25", "ends_on": "2007-04-25"},
         "ends_on", "The end date is earlier than the start date"),
    ],
    ids=["form-validator", "server-side-check"],
)
def test_validation_messages_are_english_once_chosen(client, login, data, field, message) -> None:
    """With English chosen, form errors (WTForms validators and the save checks) are English."""
    login("officer")
    client.post("/language", data={"locale": "en"})
    response = client.post("/campaigns/new", data={"timezone": "Asia/Shanghai", **data})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))[field] == [message]


def test_logged_in_user_sees_pages_in_their_stored_language(client, login, db) -> None:
    """A user whose stored language (the one their mail is written in) is English gets the
    pages in English without choosing it in this browser; logged out, the page is Chinese."""
    user = login("officer")
    user.language = "en"
    db.session.commit()
    html = client.get("/campaigns").get_data(as_text=True)
    assert '<html lang="en">' in html and "<h1>Campaigns</h1>" in html
    client.post("/logout")
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_language_switch_stores_the_users_language(client, login, db) -> None:
    """Switching the language while logged in stores it on the user, so their mail follows
    (and switching back to Chinese is not overridden by the stored English)."""
    user = login("leader")
    client.post("/language", data={"locale": "en"})
    db.session.refresh(user)
    assert user.language == "en"
    client.post("/language", data={"locale": "zh_Hans_CN"})
    db.session.refresh(user)
    assert user.language == "zh_Hans_CN"
    assert '<html lang="zh-CN">' in client.get("/campaigns").get_data(as_text=True)
