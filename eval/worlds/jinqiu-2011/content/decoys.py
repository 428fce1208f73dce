"""Pieces that look like the campaign but report no planned event (hard negatives)."""
from content import copy, story

OTHER_YEARS = [
    story("gw-2010-launch", "gw", "2010-08-11 10:20", "我省工会2010年金秋助学活动启动",
          """
          8月10日上午，全省工会2010年“金秋助学”活动在南昌启动，当天向150名困难职工子女发放助学金。
          据介绍，2010年全省工会计划筹集助学资金3000万元，资助困难职工子女9000名。
          """, decoy="last year's launch of the same campaign by the same union (2010)", byline="钟丽"),
    story("gw-2010-wrap", "gw", "2010-09-29 17:10", "2010年金秋助学活动圆满结束",
          """
          9月28日，省总工会召开会议，总结2010年金秋助学工作。全年共资助困难职工子女9300余名，表彰爱心单位41个。
          """, decoy="last year's wrap-up meeting of the same campaign (2010)"),
    story("tv-2010-story", "tv", "2011-07-25 19:40", "去年受助的他，今年当上了志愿者",
          """
          去年夏天，在工会助学金的帮助下，新余小伙曾小兵走进了大学。这个暑假，他回到家乡，在市总工会当起了助学志愿者，帮着核实今年申请人的家庭情况。
          “去年是别人帮我，今年我来帮别人。”曾小兵说。
          """, decoy="a profile of a student helped in 2010, aired before this year's campaign",
          genre="视频新闻", column="职工之家"),
]

NATIONAL_AND_OTHER_PROVINCES = [
    story("gj-acftu", "gj", "2011-07-14", "全总部署2011年金秋助学活动",
          """
          新华社北京7月13日电 全国总工会日前下发通知，部署2011年全国工会“金秋助学”活动，要求各级工会对困难职工家庭子女和农民工子女上学问题给予重点帮助。
          通知要求各地工会多渠道筹集资金，加强对受助学生的跟踪帮扶，严禁挤占挪用助学资金。
          """, decoy="the national federation's notice on the same campaign, a week before the provincial one",
          page=8, credit="新华社"),
    copy("gw-acftu-copy", "gw", "2011-07-15 09:30", "gj-acftu",
         [("sub", "新华社北京7月13日电 ", "")], credit="新华社"),
    story("hc-hunan", "hc", "2011-08-10 10:30", "湖南工会助学标准提高到每人4000元",
          """
          据湖南媒体报道，湖南省总工会日前启动今年的金秋助学活动，资助标准提高到每人4000元，资助对象扩大到农民工子女。
          据悉，湖南今年计划资助困难学生1万名。
          """, decoy="another province's union launching its own 金秋助学, the day after ours",
          page="A12"),
    story("gw-hubei", "gw", "2011-08-12 15:00", "湖北省总工会启动金秋助学行动",
          """
          8月11日，湖北省总工会在武汉举行金秋助学行动启动仪式，向500名困难职工子女发放助学金。湖北今年计划筹集助学资金5000万元。
          """, decoy="another province's launch ceremony of the same campaign"),
    story("gj-finance", "gj", "2011-08-22", "国家助学金资助面扩大",
          """
          新华社北京8月21日电 财政部、教育部近日联合发出通知，今年秋季学期起，普通高校国家助学金资助面进一步扩大，平均资助标准提高到每生每年3000元。
          """, decoy="a national state-grant policy for students, not the union campaign", page=8,
          credit="新华社"),
]

SAME_KEYWORDS_OTHER_BODIES = [
    story("gj-edu-loan", "gj", "2011-08-05", "生源地信用助学贷款8月15日起受理",
          """
          本报讯（记者 邱文华）省教育厅8月4日召开新闻发布会，通报今年生源地信用助学贷款工作。今年我省计划发放助学贷款8亿元，受理时间为8月15日至9月30日。
          家庭经济困难的新生可持录取通知书到县级学生资助管理中心申请，每人每年最高可贷6000元。
          """, decoy="the education department's press conference on student loans, two days after our briefing",
          page=6, byline="本报记者 邱文华"),
    story("hc-edu-loan", "hc", "2011-08-05 07:30", "助学贷款下周开始办理",
          """
          昨天，省教育厅在新闻发布会上宣布，今年的生源地信用助学贷款将于8月15日起开始受理。南昌市学生资助管理中心设在市教育局一楼大厅。
          办理时需要学生和家长一同到场，携带身份证、户口本和录取通知书。
          """, decoy="student-loan press conference of the education department", page="A04",
          genre="服务"),
    story("hc-youth", "hc", "2011-08-11 16:10", "希望工程圆梦行动 180名学子领到助学金",
          """
          今天上午，团市委、市青少年发展基金会在市青少年宫举行希望工程圆梦行动助学金发放仪式，180名家庭困难的大学新生每人领到3000元助学金。
          据了解，今年的圆梦行动共募集善款120万元。
          """, decoy="the Youth League's student-aid ceremony, two days after our launch", page="A03",
          byline="记者 万小军"),
    story("tv-youth", "tv", "2011-08-11 19:30", "希望工程助180名寒门学子圆梦",
          """
          今天，南昌市希望工程圆梦行动助学金发放仪式举行，180名大学新生领到了助学金。
          团市委负责人说，今年的圆梦行动还将为受助学生提供暑期社会实践岗位。
          """, decoy="the Youth League's student-aid ceremony on TV", genre="视频新闻"),
    story("gp-women", "gp", "2011-08-12", "“春蕾计划”今年资助600名女童",
          """
          本报讯 省妇联日前召开春蕾计划工作会议，今年将资助600名家庭困难的女童完成学业，资助资金来自社会各界捐款。
          """, decoy="the women's federation's own aid programme, same page of the same paper",
          page=3),
    story("gj-bank", "gj", "2011-08-25", "开学季 银行推出“助学卡”",
          """
          新学期临近，省内多家银行推出面向大学新生的“助学卡”，提供学费分期、免年费等服务。有银行还开通了录取通知书绿色通道，新生凭通知书可现场开卡。
          业内人士提醒，学生办理信用类业务要量力而行。
          """, decoy="bank products called 助学卡 in the week of our send-off", page=4, genre="服务"),
    story("gj-campus", "gj", "2011-08-26", "高校开通绿色通道 贫困新生可先入学后缴费",
          """
          本报讯 记者从省教育厅获悉，今年我省各高校都将开设“绿色通道”，家庭经济困难的新生可先办理入学手续，再根据核实情况予以资助。
          """, decoy="universities' own aid for poor freshmen", page=7, genre="整版",
          kicker="开学季：新生入学指南"),
    story("gj-campus-2", "gj", "2011-08-26", "新生报到，这些东西别忘带",
          """
          录取通知书、身份证、户口迁移证、党团组织关系、体检表……开学在即，记者梳理了新生报到需要携带的材料。
          另外，申请资助的同学还需准备家庭经济困难证明。
          """, decoy="the page-7 special of another week, on freshmen enrolment", page=7, genre="整版",
          kicker="开学季：新生入学指南"),
]

OTHER_UNIONS = [
    story("gw-jiujiang", "gw", "2011-07-26 10:00", "九江市总工会部署金秋助学工作",
          """
          7月25日，九江市总工会召开专题会议，部署全市金秋助学工作，要求各县区工会8月5日前上报资助对象名单。九江市今年计划资助困难学生1500名。
          """, decoy="a city union's own planning meeting, not the provincial notice"),
    story("hc-city-union", "hc", "2011-08-15 16:20", "市总工会为320名困难学子发放助学金",
          """
          今天上午，南昌市总工会在市职工服务中心为320名困难职工子女发放助学金，每人2000元至3000元不等。
          市总工会负责人表示，今年南昌各级工会助学资金总额达到560万元。
          """, decoy="the Nanchang city union's own hand-out ceremony, a week after the provincial launch",
          page="A05", byline="记者 万小军"),
    copy("gw-city-union-copy", "gw", "2011-08-16 09:10", "hc-city-union",
         [("sub", "今天上午", "8月15日上午")], credit="洪城晚报"),
    story("gj-railway", "gj", "2011-08-20", "铁路工会为职工子女送上助学金",
          """
          本报讯 8月19日，南昌铁路局工会举行助学金发放仪式，为86名考上大学的困难职工子女发放助学金25万元。
          """, decoy="an industry union's own ceremony", page=3),
    story("tv-company-sendoff", "tv", "2011-08-29 19:25", "企业工会欢送职工子女上大学",
          """
          今天，一家大型铜业企业的工会为62名考上大学的职工子女举行欢送会，每人领到一份纪念品和一千元奖学金。
          企业工会主席说，这项活动已经坚持了十年。
          """, decoy="a company union's own send-off, two days after ours", genre="视频新闻"),
    story("hc-station", "hc", "2011-08-31 08:00", "南昌站迎来学生客流高峰",
          """
          随着高校陆续开学，南昌火车站迎来学生客流高峰，日均发送旅客8万余人。车站开设了学生专用售票窗口，志愿者在进站口为新生提供帮助。
          """, decoy="the railway station's student rush, same venue as our send-off", page="A04"),
    story("hc-city-roundup", "hc", "2011-09-30 08:10", "今年我市工会资助困难学子1800名",
          """
          记者昨日从市总工会获悉，今年南昌各级工会共资助困难职工和农民工子女1800名，发放助学金560万元。
          """, decoy="the city union's own yearly figures, two days after our wrap-up", page="A05"),
]

SAME_ORGANISER_OTHER_EVENT = [
    story("gw-progress", "gw", "2011-09-12 10:00", "金秋助学进行时：全省已发放助学金2900万元",
          """
          记者从省总工会了解到，截至9月10日申请截止，全省各级工会已审核通过资助对象1.1万余名，发放助学金2900万元，其余资金将在9月底前发放到位。
          各设区市中，赣州、上饶、吉安的受助人数居前三位。
          """, decoy="a mid-campaign progress figure from the same union; it reports no planned event"),
    story("gp-cool-notice", "gp", "2011-07-19", "省总工会部署夏季送清凉活动",
          """
          本报讯 省总工会日前下发通知，要求各级工会在7月至9月开展夏季送清凉活动，重点慰问高温作业一线职工和户外劳动者。
          """, decoy="the same union's notice on another campaign, the day before ours", page=2),
    story("gj-cool-visit", "gj", "2011-07-28", "周立新到九江看望高温一线职工",
          """
          本报讯（记者 邱文华）7月27日，省总工会主席周立新到九江看望慰问高温下坚守岗位的一线职工，为他们送去防暑降温用品。
          """, decoy="the same leader's visit for another campaign (summer cool-down)", page=2,
          byline="本报记者 邱文华"),
    story("tv-cool-visit", "tv", "2011-07-27 19:20", "省总工会为高温一线职工送清凉",
          """
          今天，省总工会主席周立新来到九江的建筑工地和港口码头，看望慰问高温下作业的职工。
          """, decoy="the same leader's summer visit", genre="视频新闻"),
    story("gw-wage-brief", "gw", "2011-08-30 16:00", "省总工会通报农民工工资维权工作",
          """
          8月30日上午，省总工会召开新闻通气会，通报上半年农民工工资支付维权工作。上半年全省工会帮助农民工追讨欠薪1.3亿元。
          """, decoy="the same union's press briefing on another topic"),
    story("gp-wage-brief", "gp", "2011-08-31", "上半年工会帮农民工讨回欠薪1.3亿元",
          """
          本报讯（记者 杨帆）8月30日，省总工会召开新闻通气会。今年上半年，全省各级工会共受理农民工欠薪投诉2100余件，帮助农民工追讨工资1.3亿元。
          """, decoy="the same union's press briefing on wages, reported on page one", page=1,
          byline="本报记者 杨帆"),
    story("gw-mutual", "gw", "2011-09-15 17:00", "在线访谈：职工医疗互助保障怎么参加",
          """
          9月15日下午，省总工会职工保障互助会负责人做客赣工网在线访谈，就职工医疗互助保障的参加办法、报销流程等问题回答网友提问。
          """, decoy="another online interview on the same portal", genre="访谈"),
    story("gp-comment-heat", "gp", "2011-08-17", "高温之下更要守护劳动者",
          """
          连日高温，户外劳动者的安全健康牵动人心。各级工会要督促用人单位落实高温津贴，合理安排作息，切实维护职工的劳动安全卫生权益。
          """, decoy="another commentator article on page one, a week after the planned one",
          page=1, genre="评论员文章", byline="本报评论员"),
    story("gw-cool-wrap", "gw", "2011-09-26 17:00", "全省工会送清凉活动总结会召开",
          """
          9月26日，省总工会召开全省工会夏季送清凉活动总结会。今年全省工会共投入慰问资金2600万元，慰问一线职工48万人次。
          """, decoy="the same union's wrap-up meeting of another campaign, two days before ours"),
    story("gj-skills", "gj", "2011-09-30", "全省职工职业技能大赛闭幕",
          """
          本报讯 9月29日，全省职工职业技能大赛闭幕暨表彰大会在南昌举行，80名选手获得“技术能手”称号。
          """, decoy="another award ceremony co-run by the union, the day after our wrap-up", page=3),
]


def _model_column(key, when, title, body):
    return story(key, "gp", when, title, body, page=1, genre="专栏", column="劳模风采",
                 kicker="劳模风采",
                 decoy="another page-one column of the same paper, on Wednesdays")


OTHER_COLUMNS_AND_PAGES = [
    _model_column("gp-model-1", "2011-08-17", "“电焊大王”的三十年",
                  """
                  在南昌一家重型机械厂，全国劳动模范吴建华拿了三十年焊枪，带出徒弟一百多名。
                  """),
    _model_column("gp-model-2", "2011-08-24", "守护铁路的“老黄牛”",
                  """
                  鹰潭工务段的线路工钱德顺，二十年巡道里程超过十万公里，被工友们称为“老黄牛”。
                  """),
    _model_column("gp-model-3", "2011-08-31", "她让茶园变了样",
                  """
                  婺源的茶农出身的省劳动模范程秋菊，带领合作社社员改良茶园，户均年增收六千元。
                  """),
    story("gj-teachers", "gj", "2011-09-09", "扎根山村三十年的乡村教师",
          """
          在铜鼓县一所村小，老师张德明教了三十年书。学校只有二十多个学生，他既是校长，也是语文和数学老师。
          """, page=7, genre="整版", kicker="教师节特刊",
          decoy="the same page a week after our special, a whole page on teachers"),
    story("gj-teachers-2", "gj", "2011-09-09", "为困难学生垫付学费的班主任",
          """
          南昌一所中学的班主任刘芳，十年来为班上困难学生垫付学费、生活费两万多元，学生们叫她“刘妈妈”。
          """, page=7, genre="整版", kicker="教师节特刊",
          decoy="same page as our special a week later; about helping poor students, but by a teacher"),
]

ARTICLES = (OTHER_YEARS + NATIONAL_AND_OTHER_PROVINCES + SAME_KEYWORDS_OTHER_BODIES
            + OTHER_UNIONS + SAME_ORGANISER_OTHER_EVENT + OTHER_COLUMNS_AND_PAGES)
