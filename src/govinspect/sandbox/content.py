"""Word banks of the sandbox: official phrasing, names, curated errors and fake personal numbers.

All text here was written for the sandbox (plausible 政务 prose, not copied from any site).
Every string must be GBK-encodable: GBK sites render the same banks.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import ric, uscc

# --- prose ---------------------------------------------------------------------------------

TOPICS = [
    "优化营商环境",
    "乡村振兴",
    "安全生产",
    "生态环境保护",
    "防汛减灾",
    "就业创业",
    "义务教育",
    "医疗保障",
    "养老服务",
    "消防安全",
    "食品安全",
    "农田水利",
    "交通运输",
    "数字政府建设",
    "政务公开",
    "城乡环境综合治理",
    "森林草原防灭火",
    "文化旅游",
    "科技创新",
    "民营经济发展",
]

NEWS_TITLES = [
    "{org}召开{topic}工作推进会",
    "{org}专题研究部署{topic}工作",
    "{region}开展{topic}专项督查",
    "{org}主要负责同志调研{topic}工作",
    "{region}{topic}工作取得阶段性成效",
    "{org}举办{topic}业务培训班",
    "{org}组织开展{topic}宣传活动",
    "{region}召开{topic}工作领导小组会议",
]
NOTICE_TITLES = [
    "关于做好{year}年{topic}工作的通知",
    "关于开展{topic}检查工作的通知",
    "关于{topic}有关事项的公告",
    "关于征集{topic}意见建议的公告",
    "关于公布{topic}名单的通知",
]
POLICY_TITLES = [
    "{org}关于印发《{region}{topic}实施方案》的通知",
    "{org}关于进一步加强{topic}工作的意见",
    "{org}关于印发《{region}{topic}管理办法》的通知",
    "{org}关于推进{topic}高质量发展的若干措施",
]
PERSONNEL_TITLES = [
    "{org}{year}年公开招聘工作人员公告",
    "{org}干部任前公示",
    "{org}关于{name}等同志职务任免的通知",
]
PLANNING_TITLES = [
    "{region}{topic}“十五五”规划编制工作方案",
    "{org}{year}年工作要点",
    "{org}{year}年度{topic}工作计划",
]
GUIDE_ITEMS = [
    "企业投资项目备案",
    "社会团体成立登记",
    "城乡居民基本养老保险参保登记",
    "最低生活保障审核确认",
    "建设工程消防验收",
    "食品经营许可",
    "道路货物运输经营许可",
    "林木采伐许可证核发",
    "取水许可",
    "民办学校设立审批",
    "医疗机构执业登记",
    "临时救助申请",
    "残疾人证办理",
    "高龄津贴申领",
    "就业困难人员认定",
    "农村宅基地审批",
]
MESSAGE_TITLES = [
    "关于小区附近道路维修的咨询",
    "咨询{topic}相关政策",
    "关于学校招生范围的建议",
    "反映路灯损坏问题",
    "咨询社保卡办理流程",
    "关于公交线路调整的建议",
    "咨询企业开办所需材料",
    "反映噪音扰民问题",
    "关于农村饮水安全的咨询",
    "咨询医保异地就医备案",
]

SENTENCES = [
    "会议强调，要坚持以人民为中心的发展思想，把{topic}工作摆在更加突出的位置。",
    "各地各部门要切实提高政治站位，压紧压实工作责任，确保各项任务落地见效。",
    "{org}将进一步完善工作机制，加强统筹协调，形成工作合力。",
    "要坚持问题导向，聚焦群众急难愁盼问题，扎实推进{topic}各项重点工作。",
    "下一步，{region}将持续深化改革，不断提升{topic}工作水平。",
    "会议听取了{topic}工作情况汇报，研究部署了下一阶段重点任务。",
    "要加强宣传引导，及时回应社会关切，营造良好舆论氛围。",
    "各单位要严格落实工作要求，按时报送工作进展情况。",
    "{region}把{topic}作为重要民生工程，统筹资金、项目和力量予以保障。",
    "此次活动共发放宣传资料三千余份，现场解答群众咨询二百余人次。",
    "会议要求，要强化督查督办，对工作推进不力的单位进行通报。",
    "要坚持守正创新，注重总结经验，推动{topic}工作制度化、规范化。",
    "{org}相关负责同志参加会议。",
    "要统筹发展和安全，守牢底线红线，确保不发生系统性风险。",
    "今年以来，{region}累计投入资金{n}万元，惠及群众{m}余人。",
    "{org}成立了由主要负责同志任组长的工作专班，定期研究解决工作推进中的困难和问题。",
    "各乡镇（街道）要结合实际，细化工作措施，明确时间节点和责任人。",
    "要加强部门协作，建立信息共享和联合执法机制，提升监管效能。",
    "下一步，将持续跟踪问效，确保各项政策措施落到实处、取得实效。",
    "会上，相关单位负责同志作了交流发言。",
    "活动现场设置咨询台{k}个，工作人员耐心细致地为群众答疑解惑。",
    "{region}以{topic}为抓手，着力补齐短板弱项，推动工作提质增效。",
    "要严格落实安全生产责任制，深入开展隐患排查整治，坚决遏制事故发生。",
    "截至{month}月底，各项目标任务已完成年度计划的百分之{p}。",
    "要进一步优化办事流程，推行“一窗受理、集成服务”，让群众少跑腿。",
    "会议通报了前期督查发现的问题，并对整改工作提出明确要求。",
    "据了解，该项目总投资约{n}万元，建成后将有效改善周边群众生产生活条件。",
    "要注重培树先进典型，及时总结推广好经验好做法。",
    "参训人员纷纷表示，将把培训成果转化为推动工作的实际行动。",
    "{org}将以此次活动为契机，持续深化{topic}工作，不断增强群众获得感。",
    "与会人员围绕{topic}工作中的重点难点问题进行了深入讨论。",
    "此次督查采取听取汇报、查阅资料、实地查看等方式进行。",
    "要严格执行中央八项规定精神，坚持勤俭节约，杜绝形式主义。",
    "据统计，全年共受理群众诉求{k}百余件，按时办结率达到百分之九十以上。",
]

LEADS = [
    "{month}月{day}日，{org}召开会议，专题研究{topic}工作。",
    "{month}月{day}日上午，{region}{topic}工作推进会召开。",
    "近日，{org}组织开展{topic}相关工作。",
    "为深入推进{topic}工作，{month}月{day}日，{org}组织召开专题会议。",
]

LEADER_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾")
LEADER_GIVEN = [
    "建国",
    "志强",
    "晓明",
    "国华",
    "卫东",
    "红梅",
    "海涛",
    "丽华",
    "永刚",
    "文杰",
    "建军",
    "明亮",
    "秀英",
    "德胜",
    "云峰",
    "学军",
]
FEMALE_GIVEN = {"红梅", "丽华", "秀英"}
# near-miss characters for a wrong leader name (same sound or similar shape)
NAME_NEAR_MISS = {
    "国": "果",
    "强": "墙",
    "明": "铭",
    "华": "桦",
    "东": "冬",
    "梅": "玫",
    "涛": "滔",
    "刚": "钢",
    "杰": "洁",
    "军": "君",
    "亮": "谅",
    "英": "瑛",
    "胜": "盛",
    "峰": "锋",
    "建": "健",
    "志": "治",
    "晓": "小",
    "卫": "伟",
    "红": "宏",
    "海": "凯",
    "丽": "莉",
    "永": "勇",
    "文": "闻",
    "秀": "绣",
    "德": "得",
    "云": "芸",
    "学": "雪",
}
LEADER_POSTS = ["主任", "副主任", "局长", "副局长", "市长", "副市长", "县长", "副县长", "厅长", "副厅长"]

# --- curated errors (written for the sandbox; each with its correct form) --------------------

# (wrong, correct, sentence containing {w}) — the sentence reads naturally with either form
TYPOS: list[tuple[str, str, str]] = [
    ("既使", "即使", "{w}任务再重、时间再紧，也要确保工作质量不打折扣。"),
    ("按装", "安装", "已为辖区老旧小区{w}路灯一百二十余盏。"),
    ("布署", "部署", "会议对下一阶段工作进行了安排{w}。"),
    ("部暑", "部署", "各地要按照统一{w}，抓好各项措施落实。"),
    ("再接再励", "再接再厉", "希望大家{w}，在新的起点上取得更大成绩。"),
    ("一如继往", "一如既往", "将{w}支持民营企业健康发展。"),
    ("贯切", "贯彻", "要认真{w}落实上级决策部署。"),
    ("截止目前", "截至目前", "{w}，已累计完成投资八千余万元。"),
    ("峻工", "竣工", "该项目预计于明年六月{w}并投入使用。"),
    ("按排", "安排", "请各单位提前做好人员{w}。"),
    ("申清", "申请", "符合条件的群众可向所在乡镇提出{w}。"),
    ("侯选人", "候选人", "经民主推荐，确定{w}三名。"),
    ("暴光", "曝光", "对典型问题将予以公开{w}。"),
    ("迫不急待", "迫不及待", "群众{w}地想了解新政策的具体内容。"),
    ("观注", "关注", "这一问题受到社会各界广泛{w}。"),
    ("综和", "综合", "进一步提升{w}执法效能。"),
    ("防碍", "妨碍", "不得以任何理由{w}执法人员依法履职。"),
    ("松驰", "松弛", "节假日期间决不能有丝毫{w}懈怠。"),
]

# fixed political formulations and the state name, misspelt (severe expression errors)
SEVERE_TERMS: list[tuple[str, str, str]] = [
    ("社会主意核心价值观", "社会主义核心价值观", "要大力弘扬{w}，推进诚信建设。"),
    ("全面依法制国", "全面依法治国", "坚持{w}，推进法治政府建设。"),
    ("中华人民共合国", "中华人民共和国", "根据《{w}政府信息公开条例》，现予公开。"),
    ("党风廉正建设", "党风廉政建设", "要持续加强{w}和反腐败工作。"),
    ("实事求事", "实事求是", "要坚持{w}，一切从实际出发。"),
]

# prohibited content (category, word) and a sentence carrying it, as a spam injection would
SENSITIVE: list[tuple[str, str, str]] = [
    ("gambling", "六合彩", "最新{w}开奖结果，免费资料大全，点击查看。"),
    ("gambling", "网上赌场", "正规{w}，注册即送彩金，提现秒到账。"),
    ("pornography", "成人影院", "{w}在线观看，无需注册。"),
    ("gambling", "百家乐", "{w}真人荷官在线发牌。"),
]
# legitimate uses of look-alike words: negatives
SENSITIVE_LEGIT: list[tuple[str, str]] = [
    ("赌博", "依法严厉打击赌博违法犯罪活动，维护社会治安秩序。"),
    ("扫黄打非", "深入开展“扫黄打非”进基层工作，净化社会文化环境。"),
    ("色情", "持续整治网络色情低俗信息，营造清朗网络空间。"),
]
HIDDEN_ANCHORS = ["澳门葡京", "网上赌场", "百家乐官网", "六合彩资料", "真人娱乐平台"]

PERFUNCTORY_REPLIES: list[tuple[str, str]] = [
    ("too_short", "已收悉。"),
    ("deflection", "您好，此事不属于我单位职责范围，请咨询相关部门。"),
    ("template", "感谢您的留言，我们会认真研究。"),
]
GOOD_REPLIES = [
    "您好！经核实，您反映的问题已转交{org}相关科室办理，已于近日完成整改。具体政策可登录本网站“政策文件”栏目查阅，"
    "如有疑问请拨打咨询电话{phone}（工作日9:00-17:00）。感谢您对我们工作的关注和支持！",
    "您好！根据相关规定，符合条件的申请人可携带身份证明材料到政务服务中心{org}窗口办理，办理时限为5个工作日。"
    "详细办事指南请查看“办事服务”栏目。感谢您的来信！",
]

GUIDE_ELEMENTS = [
    "事项名称",
    "设定依据",
    "申请条件",
    "办理材料",
    "办理地点",
    "办理机构",
    "收费标准",
    "办理时间",
    "联系电话",
    "办理流程",
]
POLICY_FIELDS = ["索引号", "发文机关", "发文字号", "成文日期", "发布日期", "主题分类", "有效性"]


def fill(template: str, rng: random.Random, **values: str) -> str:
    values.setdefault("topic", rng.choice(TOPICS))
    values.setdefault("year", "2025")
    values.setdefault("name", leader_name(rng))
    return template.format(**values)


def leader_name(rng: random.Random) -> str:
    return rng.choice(LEADER_SURNAMES) + rng.choice(LEADER_GIVEN)


def near_miss_name(name: str) -> str:
    """A leader's name with its last replaceable character swapped for a near-homophone."""
    for i in range(len(name) - 1, 0, -1):
        if name[i] in NAME_NEAR_MISS:
            return name[:i] + NAME_NEAR_MISS[name[i]] + name[i + 1 :]
    return name[0] + "某" + name[2:]


def paragraphs(rng: random.Random, n: int, published: date | None = None, **values: str) -> list[str]:
    """``n`` paragraphs of official prose; with a date, the first one opens with a dated lead."""
    topic = values.get("topic") or rng.choice(TOPICS)
    picked = rng.sample(SENTENCES, k=min(len(SENTENCES), n * 3))
    slots = {
        "topic": topic,
        "org": values.get("org", ""),
        "region": values.get("region", ""),
        "n": str(rng.randrange(120, 98000)),
        "m": str(rng.randrange(2, 90) * 100),
        "k": rng.choice("二三四五六七八九"),
        "p": rng.choice(["八十五", "九十", "九十二", "九十六"]),
        "month": str((published or date(2025, 12, 1)).month),
        "day": str((published or date(2025, 12, 1)).day),
    }
    out = []
    for i in range(n):
        chunk = picked[3 * i : 3 * i + rng.randint(2, 3)]
        out.append("".join(s.format(**slots) for s in chunk))
    if published is not None and out:
        out[0] = rng.choice(LEADS).format(**slots) + out[0]
    return out


# --- fake personal numbers with valid check digits ----------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# county-level codes of Sichuan valid in GB/T 2260 (成都 districts, 绵阳, 乐山 …)
ID_REGIONS = [
    "510104",
    "510105",
    "510106",
    "510107",
    "510108",
    "510112",
    "510113",
    "510114",
    "510115",
    "510116",
    "510121",
    "510129",
    "510131",
    "510181",
    "510302",
    "510402",
    "510502",
    "510603",
    "510703",
    "510802",
    "510903",
    "511002",
    "511102",
    "511302",
    "511402",
    "511502",
    "511602",
    "511702",
    "511802",
    "511902",
    "512002",
    "513201",
    "513301",
    "513401",
]
MOBILE_PREFIXES = [
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "199",
]
CARD_BINS = ["622202", "621700", "622848", "621226", "622588", "621661"]


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def fake_id_card(rng: random.Random) -> str:
    """An ID-card number valid by GB 11643 (check digit, birth date, region existing at birth)."""
    while True:
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 44))
        first17 = rng.choice(ID_REGIONS) + birth.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
        number = first17 + id_check_digit(first17)
        if ric_valid(number):
            return number


def ric_valid(number: str) -> bool:
    """stdnum's cn.ric.is_valid, which raises KeyError for some region prefixes (taken as invalid)."""
    try:
        return bool(ric.is_valid(number))
    except KeyError:
        return False


def fake_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def luhn_check_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def fake_bank_card(rng: random.Random) -> str:
    partial = rng.choice(CARD_BINS) + f"{rng.randrange(10**12):012d}"
    return partial + luhn_check_digit(partial)


def fake_uscc(rng: random.Random, all_digits: bool = True) -> str:
    """A valid unified social credit code of a government body (11 + region + org code + check)."""
    while True:
        org = f"{rng.randrange(10**8):08d}"
        weights = (3, 7, 9, 10, 5, 8, 4, 2)
        c = 11 - sum(int(d) * w for d, w in zip(org, weights, strict=True)) % 11
        org_check = "0" if c == 11 else ("X" if c == 10 else str(c))
        body = "11" + rng.choice(ID_REGIONS) + org + org_check
        code = body + uscc.calc_check_digit(body)
        if not all_digits or code.isdigit():
            return code


def fake_landline(rng: random.Random, area: str = "028") -> str:
    return f"{area}-{rng.randrange(6, 9)}{rng.randrange(10**7):07d}"


_ORG_PLACES = ["锦江区", "青羊区", "金牛区", "武侯区", "成华区", "龙泉驿区", "新都区", "温江区", "双流区", "郫都区"]
_ORG_KINDS = [
    "市场监督管理局",
    "住房和城乡建设局",
    "农业农村局",
    "卫生健康局",
    "教育局",
    "民政局",
    "司法局",
    "交通运输局",
    "水务局",
    "文化广播电视和旅游局",
]


def rng_org(rng: random.Random) -> str:
    return rng.choice(_ORG_PLACES) + rng.choice(_ORG_KINDS)


# --- official documents ---------------------------------------------------------------------

_SECTION_SENTENCES = {
    "总体要求": [
        "坚持以人民为中心的发展思想，统筹发展和安全，推动{topic}工作取得新成效。",
        "到{year}年底，{topic}工作机制更加健全，服务保障能力明显提升。",
    ],
    "主要任务": [
        "（一）完善工作机制。建立健全统筹协调机制，明确职责分工，强化部门协同。",
        "（二）强化重点领域。聚焦群众关心关注的突出问题，集中力量推进重点项目建设。",
        "（三）提升服务水平。优化办事流程，压减办理时限，推动更多事项网上办、掌上办。",
    ],
    "保障措施": [
        "各地各部门要加强组织领导，落实工作责任，加大资金保障力度，确保各项任务按期完成。",
        "要加强督促检查，将落实情况纳入年度目标考核。",
    ],
}
_INTERPRETATION_SECTIONS = [
    ("一、出台背景", "为贯彻落实上级决策部署，进一步推动{topic}工作，结合本地实际，制定本文件。"),
    ("二、主要内容", "文件共分为总体要求、主要任务、保障措施三个部分，明确了今后一个时期的目标任务。"),
    ("三、主要特点", "文件突出问题导向和目标导向，注重可操作性，明确了各项任务的责任单位和完成时限。"),
    ("四、实施时间", "本文件自印发之日起施行。"),
]


def addressees(category: str) -> str:
    return {
        "provincial_portal": "各市（州）人民政府，省政府各部门、各直属机构",
        "city_portal": "各县（市、区）人民政府，市级各部门",
        "county_portal": "各乡（镇）人民政府、街道办事处，县级各部门",
    }.get(category, "各有关单位")


def policy_body(title: str, topic: str, org: str, category: str, written: str, year: int) -> list[str]:
    inner = title.split("《", 1)[1].split("》", 1)[0] if "《" in title else ""
    opening = (
        f"现将《{inner}》印发给你们，请结合实际认真贯彻执行。"
        if inner
        else f"为进一步做好{topic}工作，经研究，现提出如下意见。"
    )
    out = [f"{addressees(category)}：", opening]
    for n, (head, sentences) in zip("一二三", _SECTION_SENTENCES.items(), strict=False):
        out.append(f"{n}、{head}。" + "".join(s.format(topic=topic, year=year + 2) for s in sentences))
    out += [org, written]
    return out


def notice_body(topic: str, org: str, published: date) -> list[str]:
    return [
        "各有关单位：",
        f"为切实做好{topic}相关工作，现将有关事项通知如下。",
        f"一、工作内容。各单位要对照工作要求，认真梳理本单位{topic}工作开展情况，查漏补缺。",
        f"二、时间安排。请于{published.year}年{published.month}月底前将工作开展情况书面报送{org}。",
        "三、工作要求。各单位要高度重视，明确专人负责，确保按时保质完成。",
        "特此通知。",
        org,
        f"{published.year}年{published.month}月{published.day}日",
    ]


def interpretation_body(topic: str) -> list[str]:
    return [head + "。" + text.format(topic=topic) for head, text in _INTERPRETATION_SECTIONS]


def document_number(organizer: str, region_name: str, year: int, number: int) -> str:
    """发文字号 in the usual shape: 川府发〔2025〕12号, 自教发〔2025〕3号."""
    short = "川" if organizer.startswith("四川省") else region_name[0]
    head = organizer[:7]
    cut = next((head.index(c) + 1 for c in "市州县区省" if c in head[1:]), 0)
    rest = organizer[cut:]
    if rest.startswith("人民政府办公"):
        kind = "府办"
    elif rest.startswith("人民政府") and len(rest) > 4:
        kind = rest[4]  # 人民政府国有资产监督管理委员会 -> 国
    elif rest.startswith("人民政府") or not rest:
        kind = "府"
    else:
        kind = rest[0]
    return f"{short}{kind}发〔{year}〕{number}号"
