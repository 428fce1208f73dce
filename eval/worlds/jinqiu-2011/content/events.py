"""Reports of the planned events (positives), and their copies in other outlets."""
from content import copy, story

ARTICLES = [
    story("gw-notice-1", "gw", "2011-07-20 16:40", "省总工会部署2011年金秋助学活动",
          """
          近日，省总工会印发《关于开展2011年全省工会“金秋助学”活动的通知》，要求各级工会把助学工作作为为职工办实事的重要内容，确保困难职工子女不因家庭困难而失学。
          通知明确，今年资助对象为当年考入全日制普通高校的困难职工子女和农民工子女，本科生每人资助3000元，专科生每人资助2000元。
          """, event="notice"),
]
