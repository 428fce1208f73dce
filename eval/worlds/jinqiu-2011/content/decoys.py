"""Pieces that look like the campaign but report no planned event (hard negatives)."""
from content import story

ARTICLES = [
    story("gw-2010-launch", "gw", "2010-08-11 10:20", "我省工会2010年金秋助学活动启动",
          """
          8月10日上午，全省工会2010年“金秋助学”活动在南昌启动，当天向150名困难职工子女发放助学金。
          """, decoy="last year's launch of the same campaign by the same union (2010)"),
]
