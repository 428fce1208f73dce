"""The work-summary draft tells a column or features planned as a period by their instalments."""

from __future__ import annotations

from datetime import date, time

from campaign.coverage.matching import add_match
from campaign.exports.summary import slot_sentences
from tests.factories import beijing


def slot_event(make, title, **slot):
    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="工人日报")
    event = make.event(campaign, key="slot", type="editorial_slot", all_day=True, title=title,
                       starts_at=beijing(date(2006, 5, 2), time(0)),
                       ends_at=beijing(date(2006, 5, 13), time(0)),
                       slot={"outlet": paper, "planned_on": date(2006, 5, 2), "page": "一版",
                             **slot})
    return event, paper


def ran_on(make, event, paper, *days):
    officer = make.user()
    for day in days:
        add_match(event, make.article(paper, title=f"第{day}期", page_number=1,
                                      published_at=beijing(date(2006, 5, day), time(6))),
                  officer)


def test_period_column_counts_every_piece_that_ran(app, make, db):
    """A column known only by its period tells how many pieces ran in it, not one."""
    event, paper = slot_event(make, "工人日报一版专栏：劳动者之歌", genre="column",
                              ends_on=date(2006, 5, 12), expected=3)
    ran_on(make, event, paper, 3, 8, 11)
    db.session.commit()
    with app.test_request_context():
        [sentence] = slot_sentences([event], date(2006, 6, 1))
    assert sentence.text == "工人日报从5月2日开始在一版开设了“劳动者之歌”专栏，共刊发3期。"


def test_features_planned_as_days_in_a_row_tell_each_day(app, make, db):
    """Full pages planned as one slot with a count of 3 are told on their three days."""
    event, paper = slot_event(make, "工人日报整版专题：劳模", genre="feature", expected=3)
    ran_on(make, event, paper, 2, 3, 4)
    db.session.commit()
    with app.test_request_context():
        [sentence] = slot_sentences([event], date(2006, 6, 1))
    assert sentence.text == "工人日报分别在5月2日、3日、4日，以“劳模”为主题，用三个整版集中宣传。"
