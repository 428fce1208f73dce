"""Hard negatives: what looks like the campaign and is not — other bodies' skills contests
(人社 bureaus, not the union), other provinces, last year's contest, companies' and schools'
own contests, job fairs, the federation's other work on the same days, the contest's rounds
the plan does not list, look-alike slots — each with the reason in ``hard``."""

ARTICLES = [
    # ------------------------------------------------ 五一 commendation (4/29): same federation
    {"key": "bs-wuyi", "outlet": "bs", "when": "2021-04-29", "page": 1,
     "hard": "the federation's 五一 commendation rally (表彰大会, 劳动奖章), not the contest",
     "kicker": "庆祝“五一”国际劳动节",
     "title": "全省劳动模范和先进工作者表彰大会在蓉举行", "by": "本报记者 李安",
     "body": """
本报讯（记者 李安）4月28日，全省庆祝“五一”国际劳动节暨劳动模范和先进工作者表彰大会在成都举行。大会表彰了一批四川五一劳动奖章获得者和工人先锋号集体。
会议号召全省广大职工弘扬劳模精神、劳动精神、工匠精神，在建设社会主义现代化四川新征程中建功立业。
"""},
    {"key": "tf-wuyi", "outlet": "tf", "when": "2021-04-29", "page": 1,
     "hard": "the federation's 五一 commendation rally, not the contest",
     "title": "100名职工获四川五一劳动奖章", "by": "本报记者 何晓雯",
     "body": """
本报讯（记者 何晓雯）4月28日，省总工会在成都召开庆祝“五一”国际劳动节大会，授予100名职工四川五一劳动奖章，授予50个班组四川工人先锋号。受表彰的职工中，一线工人和技术人员占比超过六成。
"""},
    {"key": "jc-wuyi", "outlet": "jc", "when": "2021-04-30", "page": 3,
     "hard": "the city's 五一 commendation of model workers, not the contest",
     "title": "成都26名职工获四川五一劳动奖章",
     "body": """
在日前召开的全省庆祝“五一”大会上，成都有26名职工获得四川五一劳动奖章，其中包括一名地铁检修工和一名外卖骑手。
"""},
    # ------------------------------------------------ 人社 press conferences (5/11)
    {"key": "sw-rs-presser", "outlet": "sw", "when": "2021-05-11 15:40",
     "hard": "the provincial HR department's press conference the same day, on its skills programme",
     "title": "省人社厅新闻发布会：今年将开展补贴性职业技能培训50万人次",
     "body": """
蜀网讯 5月11日下午，省人社厅召开新闻发布会，介绍今年职业技能提升行动进展。今年全省计划开展补贴性职业技能培训50万人次，新增高技能人才5万人。
发布会还介绍了技工院校招生和职业技能等级认定的最新政策。
"""},
    {"key": "bs-rs-presser", "outlet": "bs", "when": "2021-05-12", "page": 3,
     "hard": "the HR department's press conference, not the union's briefing",
     "title": "今年全省将新增高技能人才5万人",
     "body": """
本报讯（记者 赵一鸣）5月11日，省人社厅举行新闻发布会，今年我省将开展补贴性职业技能培训50万人次，新增高技能人才5万人，并扩大职业技能等级认定试点企业范围。
"""},
    {"key": "jc-rs-presser", "outlet": "jc", "when": "2021-05-12", "page": 4,
     "hard": "成都市人社局's own 职业技能大赛 announced at its press conference (人社局, not the union)",
     "title": "第三届“蓉城技能大赛”6月开赛",
     "by": "锦城日报记者 陈刚",
     "body": """
昨日，成都市人社局召开新闻发布会，宣布第三届“蓉城技能大赛”将于6月上旬开赛，设数控车工、电工、美容美发、养老护理等20个项目，获奖选手可获市级技能人才称号和奖金。
报名对象为在蓉就业的劳动者，报名截至5月31日。
"""},
    # ------------------------------------------------ other provinces
    {"key": "sz-cq-launch", "outlet": "sz", "when": "2021-05-13 16:00",
     "hard": "重庆's union skills contest launched (another province)",
     "title": "重庆市职工职业技能大赛启动 设15个赛项",
     "body": """
5月12日，重庆市职工职业技能大赛启动仪式在两江新区举行。今年大赛设15个赛项，预计参赛职工超过2万人，获奖选手将获得“重庆市技术能手”称号。
"""},
    {"key": "sz-gz-launch", "outlet": "sz", "when": "2021-05-18 09:10",
     "hard": "贵州's union skills contest (another province)",
     "title": "贵州：职工技能大赛首次设立大数据赛项",
     "body": """
日前，贵州省总工会启动2021年全省职工职业技能大赛，首次设立大数据标注员、数据分析员等新职业赛项，比赛将持续到8月。
"""},
    {"key": "sz-cq-electric", "outlet": "sz", "when": "2021-05-26 14:20",
     "hard": "重庆's electricians' contest two days running with the 绵阳 round (another province)",
     "title": "重庆120名电工比拼带电作业",
     "body": """
5月25日，重庆市职工职业技能大赛电工赛项在九龙坡区开赛，120名选手参加带电作业、线路检修等项目的比拼。
"""},
    {"key": "sz-sx-weld", "outlet": "sz", "when": "2021-06-02 15:00",
     "hard": "陕西's welders' contest on the 德阳 round's day (another province)",
     "title": "陕西职工焊工技能竞赛在宝鸡举行",
     "body": """
6月1日至2日，陕西省职工焊工技能竞赛在宝鸡举行，来自全省装备制造企业的90名焊工参赛。
"""},
    {"key": "sw-cq-final", "outlet": "sw", "when": "2021-06-24 20:10",
     "hard": "重庆's contest finale the same evening as the awards (another province)",
     "title": "成渝职工技能交流：重庆职工技能大赛闭幕",
     "body": """
蜀网讯 6月24日晚，重庆市职工职业技能大赛在重庆闭幕，45名选手获“重庆市技术能手”称号。川渝两地工会约定，明年将联合举办川渝职工技能交流赛。
"""},
    {"key": "sz-natl-awards", "outlet": "sz", "when": "2021-06-28 10:00",
     "hard": "the national HR ministry's commendation of 全国技术能手 (another body, national)",
     "title": "第十五届中华技能大奖和全国技术能手名单公布",
     "body": """
人力资源社会保障部日前公布第十五届中华技能大奖和全国技术能手评选结果，30人获中华技能大奖，299人获全国技术能手称号。
"""},
    {"key": "sz-quiz-natl", "outlet": "sz", "when": "2021-05-20 11:00",
     "hard": "the national federation's online history quiz (another quiz)",
     "title": "全总“学党史、颂党恩”网上知识竞赛开赛",
     "body": """
全国总工会“学党史、颂党恩”职工网上知识竞赛5月20日开赛，职工可通过工会APP参与答题，活动持续到6月30日。
"""},
    # ------------------------------------------------ same federation, other department, same day
    {"key": "tf-nvzhigong", "outlet": "tf", "when": "2021-05-15", "page": 2,
     "hard": "the federation's women workers' department's class on the launch day",
     "title": "女职工家政技能培训班开班", "by": "本报记者 罗佳",
     "body": """
本报讯（记者 罗佳）5月14日，省总工会女职工部在成都举办女职工家政技能培训班，80名下岗和困难女职工将接受为期一个月的育婴、养老护理培训，结业后推荐就业。
"""},
    {"key": "sw-yizhan", "outlet": "sw", "when": "2021-05-14 16:30",
     "hard": "the federation's outdoor workers' rest stations named the same day",
     "title": "全省新授牌200个工会户外劳动者服务站点",
     "body": """
蜀网讯 5月14日，省总工会为全省新建的200个工会户外劳动者服务站点授牌。站点为环卫工、快递员、外卖骑手等提供饮水、休息、充电等服务。
"""},
    # ------------------------------------------------ look-alike comment pieces (5/15)
    {"key": "bs-comment-other", "outlet": "bs", "when": "2021-05-15", "page": 1,
     "hard": "a 本报评论员 piece on another subject on the commentary day",
     "genre": "评论员文章", "by": "本报评论员", "title": "以更优营商环境激发市场活力",
     "body": """
本报评论员
优化营商环境没有最好，只有更好。今年以来，我省持续推进“放管服”改革，企业开办时间压缩到一个工作日以内。
营商环境是生产力，也是竞争力。各地各部门要对标先进，在政务服务、要素保障、法治环境上下更大功夫。
"""},
    {"key": "tf-comment-other", "outlet": "tf", "when": "2021-05-15", "page": 3,
     "hard": "a short comment on another subject in the commentary's issue",
     "genre": "评论", "kicker": "劳动者说", "title": "让户外劳动者歇脚有处", "by": "周文",
     "body": """
周文
天气渐热，环卫工、快递员在路边找个歇脚的地方并不容易。工会户外劳动者服务站点多建一个，城市就多一分温度。
站点建起来，还要用起来。位置要方便、标识要醒目、开放时间要贴合户外劳动者的作息。
"""},
    # ------------------------------------------------ look-alike column on the same page one
    {"key": "tf-zuimei-1", "outlet": "tf", "when": "2021-05-19", "page": 1,
     "hard": "another page-one column (最美职工) on the column's page", "genre": "专栏",
     "column": "最美职工", "kicker": "最美职工", "title": "公交司机的“爱心座椅”",
     "by": "本报记者 何晓雯",
     "body": """
成都公交一名驾驶员在车厢里为老人加装了扶手和软垫，十年来坚持帮行动不便的乘客上下车。
"""},
    {"key": "tf-zuimei-2", "outlet": "tf", "when": "2021-05-28", "page": 1,
     "hard": "another page-one column (最美职工)", "genre": "专栏", "column": "最美职工",
     "kicker": "最美职工", "title": "大山里的乡村邮递员", "by": "本报记者 王峻",
     "body": """
凉山州一名乡村邮递员二十年间走了30多万公里山路，把邮件送到每一个村寨。
"""},
    {"key": "tf-zuimei-3", "outlet": "tf", "when": "2021-06-11", "page": 1,
     "hard": "another page-one column (最美职工)", "genre": "专栏", "column": "最美职工",
     "kicker": "最美职工", "title": "守护铁路大动脉的“夜行者”", "by": "本报记者 罗佳",
     "body": """
成昆铁路一名巡道工每晚徒步巡检12公里线路，十五年没有漏掉过一处隐患。
"""},
    # ------------------------------------------------ other quizzes
    {"key": "jc-safety-quiz", "outlet": "jc", "when": "2021-06-02", "page": 7,
     "hard": "the city emergency bureau's safety-month online quiz (另一个答题)",
     "title": "安全生产月 市民可线上答题赢奖品",
     "body": """
6月是全国第20个“安全生产月”。成都市应急管理局推出安全知识网上答题活动，市民关注“成都应急”公众号即可参与，每周抽取幸运奖。
"""},
    # ------------------------------------------------ city HR bureaus' contests
    {"key": "sw-mianyang-rs", "outlet": "sw", "when": "2021-05-20 10:30",
     "hard": "绵阳市人社局's own vocational skills contest (人社局, not the union)",
     "title": "绵阳市第五届职业技能大赛开赛 电工等16个项目同场比拼",
     "body": """
蜀网讯 5月19日，由绵阳市人力资源和社会保障局主办的绵阳市第五届职业技能大赛开幕，电工、汽车维修、电子商务等16个项目的600余名选手参赛。
"""},
    {"key": "jc-rcjn", "outlet": "jc", "when": "2021-06-09", "page": 4,
     "hard": "成都市人社局's 蓉城技能大赛 数控车工 final the day the 宜宾 round opens",
     "title": "“蓉城技能大赛”数控车工项目开赛",
     "by": "锦城日报记者 陈刚",
     "body": """
昨日，第三届“蓉城技能大赛”数控车工项目在成都市技师学院开赛，72名选手参赛。该大赛由成都市人社局主办，其余19个项目将在6月陆续进行。
"""},
    {"key": "bs-luzhou-weld", "outlet": "bs", "when": "2021-06-04", "page": 6,
     "hard": "泸州市人社局's welders' contest on the same page as the 德阳 report",
     "title": "泸州举办焊工职业技能竞赛",
     "body": """
本报讯 6月3日，泸州市人社局主办的全市焊工职业技能竞赛在泸州职业技术学院举行，80余名焊工参赛，前三名将获“泸州市技术能手”称号。（泸州站）
"""},
    {"key": "sw-luzhou-weld", "outlet": "sw", "when": "2021-06-03 16:10",
     "hard": "泸州市人社局's welders' contest the same day as the 德阳 round",
     "title": "泸州80余名焊工比技能",
     "body": """
蜀网讯 6月3日，泸州市焊工职业技能竞赛举行。竞赛由泸州市人力资源和社会保障局主办，设手工电弧焊和气体保护焊两个项目。
"""},
    # ------------------------------------------------ companies' and schools' own contests
    {"key": "tf-grid-contest", "outlet": "tf", "when": "2021-05-29", "page": 2,
     "hard": "a power company's in-house electricians' contest",
     "title": "川西电力检修公司举办内部电工技能比武", "by": "通讯员 邓丽",
     "body": """
本报讯（通讯员 邓丽）5月28日，川西电力检修公司举办年度电工技能比武，40名一线员工参加配网抢修、带电作业等项目。公司工会为前六名颁发“技术标兵”证书。
"""},
    {"key": "tf-weld-company", "outlet": "tf", "when": "2021-05-28", "page": 3,
     "hard": "a heavy-machinery company's in-house welders' contest",
     "title": "重机厂里的焊工“大比武”", "by": "通讯员 钟敏",
     "body": """
本报讯（通讯员 钟敏）近日，德阳锦江重型机械公司举办第十二届焊工技能比武，156名焊工参加。公司工会主席说，比武优胜者将优先推荐参加上级比赛。
"""},
    {"key": "sz-weld-company", "outlet": "sz", "when": "2021-05-31 09:00",
     "hard": "copy of a company's in-house welders' contest", "of": "tf-weld-company",
     "credit": "天府工人报", "ops": [("title", "四川一重机企业156名焊工比武")]},
    {"key": "sw-yibin-company", "outlet": "sw", "when": "2021-06-08 11:00",
     "hard": "a 宜宾 company's in-house CNC contest the day before the round",
     "title": "宜宾一企业举办数控技能比武",
     "body": """
蜀网讯 6月7日，宜宾一家汽车零部件企业举办数控加工技能比武，30名车工、铣工参赛，优胜者获得企业“首席技工”称号和每月500元津贴。
"""},
    {"key": "jc-school", "outlet": "jc", "when": "2021-06-10", "page": 5,
     "hard": "a technical school's own skills festival",
     "title": "技师学院校园技能节开幕",
     "body": """
昨日，成都一所技师学院的第十届校园技能节开幕，2000余名学生参加数控加工、电气安装、烹饪等28个项目的比赛。
"""},
    # ------------------------------------------------ last year's contest
    {"key": "sw-2020-awards", "outlet": "sw", "when": "2020-09-18 17:00",
     "hard": "last year's contest (2020), on the list pages only",
     "title": "2020年全省职工职业技能大赛表彰 30名选手获“四川省技术能手”",
     "body": """
蜀网讯 9月18日，2020年四川省职工职业技能大赛表彰大会在成都举行。受疫情影响，今年大赛推迟到8月举办，30名选手获“四川省技术能手”称号。
"""},
    {"key": "sw-lastyear", "outlet": "sw", "when": "2021-05-21 09:30",
     "hard": "last year's contest winner, a year on (2020 contest)",
     "title": "去年技能大赛冠军如今当上了车间主任",
     "body": """
蜀网讯 一年前，在2020年四川省职工职业技能大赛上夺得钳工赛项第一名的罗斌，今年初被提拔为车间主任。他说，那次比赛让他从一名普通钳工走上了管理岗位。
"""},
    # ------------------------------------------------ job fairs
    {"key": "jc-jobfair", "outlet": "jc", "when": "2021-05-22", "page": 3,
     "hard": "a job fair for skilled workers (人社局)",
     "title": "技能人才专场招聘会提供岗位3000个",
     "body": """
今日，成都市人社局在人才市场举办技能人才专场招聘会，120家企业提供焊工、电工、数控操作工等岗位3000个，高级工月薪普遍在6000元以上。
"""},
    {"key": "sw-jobfair", "outlet": "sw", "when": "2021-06-05 10:00",
     "hard": "a graduates' job fair",
     "title": "高校毕业生就业双选会提供岗位1.2万个",
     "body": """
蜀网讯 6月5日，全省高校毕业生就业双选会在四川大学举行，500余家单位提供岗位1.2万个。
"""},
    # ------------------------------------------------ the contest's rounds the plan does not list
    {"key": "sw-nanchong", "outlet": "sw", "when": "2021-05-28 17:30",
     "hard": "the contest's 南充 round (育婴员), which the plan does not list",
     "title": "育婴员赛项南充开赛 选手现场给“宝宝”冲奶洗澡",
     "body": """
蜀网讯 5月27日至28日，全省职工职业技能大赛育婴员赛项在南充举行，48名育婴员在模拟婴儿身上比拼冲调奶粉、洗澡抚触和急救。南充一家托育机构的周娟获第一名。
"""},
    {"key": "tf-leshan", "outlet": "tf", "when": "2021-06-18", "page": 2,
     "hard": "the contest's 乐山 round (中式烹调师), which the plan does not list",
     "title": "中式烹调师赛项在乐山落幕", "by": "本报记者 罗佳",
     "body": """
本报讯（记者 罗佳）6月17日，全省职工职业技能大赛中式烹调师赛项在乐山落幕，64名厨师比拼刀工和热菜制作，乐山一家酒店的厨师王涛获第一名。
"""},
    # ------------------------------------------------ progress and other competitions
    {"key": "tf-progress", "outlet": "tf", "when": "2021-06-05", "page": 2,
     "hard": "a mid-contest progress report (no planned event)",
     "title": "技能大赛过半 5个赛区已完赛", "by": "本报记者 何晓雯",
     "body": """
本报讯（记者 何晓雯）记者从省总工会获悉，截至6月4日，全省职工职业技能大赛8个赛区中已有5个完成比赛，宜宾、乐山、成都三个赛区的比赛将在6月中旬前结束。
"""},
    {"key": "bs-laojing", "outlet": "bs", "when": "2021-06-16", "page": 4,
     "hard": "the federation's 重点项目劳动竞赛 (another competition)",
     "title": "成渝双城经济圈重点项目劳动竞赛推进会召开",
     "body": """
本报讯（记者 赵一鸣）6月15日，省总工会召开成渝地区双城经济圈重点项目劳动竞赛推进会，全省120个重点项目的5万余名职工参加竞赛，开展工期、质量、安全等竞赛。
"""},
    {"key": "tf-laojing-sum", "outlet": "tf", "when": "2021-07-08", "page": 2,
     "hard": "a half-year summary of the 劳动竞赛, a day after the wrap-up",
     "title": "重点项目劳动竞赛上半年节约投资3.2亿元", "by": "本报记者 王峻",
     "body": """
本报讯（记者 王峻）记者从省总工会获悉，今年上半年，全省重点项目劳动竞赛共完成技术革新和合理化建议1800余项，节约投资3.2亿元。
"""},
    {"key": "tf-nvzhigong-sum", "outlet": "tf", "when": "2021-07-07", "page": 2,
     "hard": "the women workers' work half-year summary meeting (另一个总结会)",
     "title": "全省工会女职工工作半年总结会召开", "by": "本报记者 罗佳",
     "body": """
本报讯（记者 罗佳）7月6日上午，省总工会召开全省工会女职工工作半年总结会，部署下半年女职工特殊权益保护专项检查。
"""},
    # ------------------------------------------------ look-alike feature pages
    {"key": "bs-p5-party", "outlet": "bs", "when": "2021-06-18", "page": 5,
     "hard": "another full-page feature on page 5, a week before the planned one",
     "genre": "通讯", "kicker": "庆祝中国共产党成立100周年", "title": "百年工运 巴蜀记忆",
     "body": """
从1920年代的成都印刷工人罢工，到新中国成立后的三线建设，四川工人运动的百年历程与党的历史紧紧相连。
在三线建设纪念馆里，一张张泛黄的照片记录着当年建设者“献了青春献终身”的岁月。
"""},
    {"key": "bs-p5-party-2", "outlet": "bs", "when": "2021-06-18", "page": 5,
     "hard": "a second piece of the 6/18 page-5 feature", "genre": "图片新闻",
     "title": "老照片里的劳动者",
     "body": """
①1965年，攀枝花钢铁基地建设工地。
②1980年代，德阳重型机器厂的车间。
"""},
    {"key": "jc-cdgj", "outlet": "jc", "when": "2021-06-23", "page": 3,
     "hard": "the city union's own 成都工匠 naming the day before the awards",
     "title": "50名职工被命名为2021年“成都工匠”",
     "body": """
昨日，成都市总工会举行2021年“成都工匠”命名仪式，50名一线职工获此称号，每人获得1万元奖励。
"""},
]
