"""Claims of the narrative: exact expectations on the seed fixtures, and the exclusions."""

from __future__ import annotations

import pytest

from nianbao.model import Report, Section, Source
from nlp.claims import extract_claims, metrics, narrative_regions
from nlp.numbers import find_quantities
from tests.conftest import parsed


def _claim(report, text):
    hits = [c for c in report.claims if c.text == text]
    assert hits, f"no claim {text!r} in {[c.text for c in report.claims]}"
    return hits[0]


def _report(text: str) -> Report:
    return Report(source=Source("x.txt", "0" * 64, "text"), text=text)


def _claims(text: str):
    return extract_claims(_report(text))


# --- seed 000 ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,metric,value,unit,scope", [
    ("网站全年独立用户访问总量达684341个", "website.unique_visitors", 684341, "个", "year"),
    ("总访问量930160次", "website.visits", 930160, "次", None),
    ("全年共收到政府信息公开申请10件", "applications.new_received.total", 10, "件", "year"),
    ("较2024年增长11.1%", "applications.new_received.total", 11.1, "%", "change.increase"),
    ("其中自然人申请9件", "applications.new_received.natural_person", 9, "件", "part"),
    ("商业企业申请1件", "applications.new_received.commercial", 1, "件", "part"),
    ("“鄂尔多斯交通”微信公众号全年发布信息892条", "wechat.posts", 892, "条", "year"),
    ("订阅数达24483人", "wechat.followers", 24483, "人", None),
    ("通过政府网站发布各类工作信息13568件", "items_published", 13568, "件", None),
    ("同步维护专栏专题38个", "columns", 38, "个", None),
    ("全年发布解读信息8条", "policy_interpretations", 8, "条", "year"),
    ("全年开展安全检测评估5次", "security_checks", 5, "次", "year"),
    ("开展征集调查3期", "surveys", 3, "期", None),
    ("组织在线访谈2期", "online_interviews", 2, "期", None),
    ("现行有效件数4件", "active.art20_1.normative_documents.in_force", 4, "件", "part"),
    ("我局本年度信息公开信息处理费为0元", "fees.amount", 0, "元", "year"),
])
def test_seed_000_claims(text, metric, value, unit, scope):
    r = parsed("000")
    c = _claim(r, text)
    assert (c.metric, c.value, c.unit, c.scope) == (metric, value, unit, scope)
    assert r.text[c.start:c.end] == c.text


def test_seed_000_counts_and_regions():
    r = parsed("000")
    assert len(r.claims) == 41
    regions = narrative_regions(r)
    for c in r.claims:  # never a table row
        assert any(a <= c.start and c.end <= b for a, b in regions)
        for n in (2, 3, 4):
            s = r.section(n)
            assert not (s.start <= c.start < s.end)
    values = [c.value for c in r.claims]
    assert 2025 not in values and 8125272 not in values and 6 not in values  # dates, phone, 六部分


def test_seed_003_line_break_inside_a_cue():
    r = parsed("003")
    c = [c for c in r.claims if c.metric == "applications.carried_forward.total"]
    assert [(x.value, x.unit) for x in c] == [(7, "件")]
    assert [(x.metric, x.value) for x in r.claims if x.metric.startswith("applications")] == [
        ("applications.new_received.total", 72), ("applications.results_total.total", 66),
        ("applications.carried_forward.total", 7)]


def test_seed_002_hotline_name_is_no_number():
    r = parsed("002")
    values = [c.value for c in r.claims]
    assert 12345 not in values and 12328 not in values
    assert [c.metric for c in r.claims if c.value in (1650, 599)] == ["hotline.messages", "hotline.messages"]


def test_seeds_without_narrative_numbers():
    assert parsed("001").claims == [] and parsed("004").claims == []


# --- numbers and bounds ----------------------------------------------------------------------

@pytest.mark.parametrize("text,value,unit,bound", [
    ("共发布信息5200余篇。", 5200, "篇", "at_least"),
    ("发布信息14万余条。", 140_000, "条", "at_least"),
    ("访问量11.6萬人次。", 116_000, "人次", None),
    ("公开信息3万多条。", 30_000, "条", "at_least"),
    ("培训超过100人次。", 100, "人次", "at_least"),
    ("接待近300人次。", 300, "人次", "at_most"),
    ("约占9.3%。", 9.3, "%", "about"),
    ("满意度百分之九十五。", 95, "%", None),
    ("配备两名工作人员。", 2, "名", None),
    ("开展五期培训。", 5, "期", None),
    ("发布3667 条信息。", 3667, "条", None),
    ("收到申请６件。", 6, "件", None),
    ("发布信息6,700条。", 6700, "条", None),
    ("发布信息一万三千五百六十八条。", 13568, "条", None),
    ("接待群众1000人以上。", 1000, "人", "at_least"),
    ("发布信息200条左右。", 200, "条", "about"),
    ("发布公告五條。", 5, "条", None),
    ("实现零收费。", 0, None, None),
    ("订阅数4637。", 4637, None, None),
    ("发布4.5亿条。", 450_000_000, "条", None),
])
def test_quantities(text, value, unit, bound):
    qs = find_quantities(text)
    assert len(qs) == 1, [text[q.start:q.end] for q in qs]
    q = qs[0]
    assert (q.value, q.unit, q.bound) == (value, unit, bound)


@pytest.mark.parametrize("text", [
    "2023年1月1日至12月31日。", "截至11月，8月份。", "依据国办公开办函〔2021〕30号。", "国务院令第711号第二十条第（一）项。",
    "排名第三，第1位。", "一是加强领导；二是完善制度。", "联系电话：0477-8125272。", "邮编：350400。",
    "严格落实三审三校，推进一网通办，双随机一公开，两微一端。", "省市县三级联动。", "第一时间回应，一批政策。",
    "本报告共分6个部分，从六个方面。", "在20日内答复，2个工作日内，30分钟内。", "“6·5”世界环境日。",
    "拨打12345热线。", "网址http://jtj.ordos.gov.cn/col/123。", "邮箱jtjkxjsk@163.com。", "省级以上媒体。",
    "进一步统一规范。", "党的二十大精神。", "“三个一”工作机制。", "落实“两客一危”监管。",
])
def test_not_claims(text):
    assert _claims(text) == [], [c.text for c in _claims(text)]


def test_change_directions_and_previous():
    cs = _claims("全年共收到政府信息公开申请20件，较上年的16件增长25%。访问量100万次，同比下降3.5%。")
    assert [(c.value, c.scope) for c in cs] == [(20, "year"), (16, "previous"), (25, "change.increase"),
                                                 (1_000_000, None), (3.5, "change.decrease")]
    assert cs[2].metric == "applications.new_received.total" and cs[4].metric == "website.visits"


def test_traditional_text():
    cs = _claims("2021年共接受民眾申請政府信息公開23件，同比上升27.7%，其中網上申請19件、信函申請4件。")
    assert [(c.metric, c.value, c.unit, c.scope) for c in cs] == [
        ("applications.new_received.total", 23, "件", None),
        ("applications.new_received.total", 27.7, "%", "change.increase"),
        ("applications.new_received.total", 19, "件", "part"),
        ("applications.new_received.total", 4, "件", "part")]


def test_other_metric_and_vocabulary():
    cs = _claims("完成158家企业评分。")  # the noun right after the counter is what is counted
    assert [(c.metric, c.value, c.unit) for c in cs] == [("organisations", 158, "家")]
    cs = _claims("收集群众意见158条。")  # no cue: other
    assert [(c.metric, c.value, c.unit) for c in cs] == [("other", 158, "条")]
    vocab = metrics()
    assert len(vocab) >= 50 and "other" in vocab
    assert vocab["applications.new_received.total"].key == "applications.new_received.total"


def test_sections_outside_tables_only():
    text = "一、总体情况\n全年共收到政府信息公开申请10件。\n三、收到和处理政府信息公开申请情况\n本年新收 10 件\n五、存在的主要问题\n培训2次。"
    r = _report(text)
    a, b = text.index("三、"), text.index("五、")
    r.sections = [Section(1, "总体情况", 0, a), Section(3, "收到和处理政府信息公开申请情况", a, b), Section(5, "存在的主要问题", b, len(text))]
    assert [(c.value, c.unit) for c in extract_claims(r)] == [(10, "件"), (2, "次")]


def test_pipeline_is_not_loaded_at_import():
    import subprocess
    import sys

    code = ("import sys, nianbao.pipeline; "
            "assert 'spacy' not in sys.modules and 'jieba' not in sys.modules, 'loaded at import'")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- metric rules (sentences written for the tests) -----------------------------------------

def _m(text):
    return [(c.metric, c.value) for c in _claims(text)]


@pytest.mark.parametrize("text,expected", [
    # a publishing verb heads a 、-list: every item is items published
    ("全年公开土地征收批复120件、用地预审批复45件、矿业权办理结果30个。",
     [("items_published", 120), ("items_published", 45), ("items_published", 30)]),
    # … a ；-list whose first item holds the verb
    ("本年度主动公开水质监测信息12篇；排污单位监测结果共计30条；环评批复文件8条。",
     [("items_published", 12), ("items_published", 30), ("items_published", 8)]),
    # … a list after a colon, and the parts (其中) of a whole that is not counted
    ("通过门户网站发布审批结果：土地批复40件、用地预审批复25件。", [("items_published", 40), ("items_published", 25)]),
    ("依法公开各类审批结果，其中土地批复40件、用地预审批复25件。", [("items_published", 40), ("items_published", 25)]),
    # … a list after a short sentence that names what was published
    ("二是公开行政审批结果。土地批复40件、用地预审批复25件、资质结果公告3批。",
     [("items_published", 40), ("items_published", 25), ("items_published", 3)]),
    # … while categories of a 、-list keep a channel or an interpretation of their own
    ("全年发布动态信息80条、政策解读6篇。", [("items_published", 80), ("policy_interpretations", 6)]),
    # a cue before the verb names the platform, not the items: not governed
    ("依托“信用某某”平台累计公示信息500条。", [("credit_records", 500)]),
    # the own clause's cue beats a specific cue of an earlier clause
    ("便于公众阅读和查询，全年公开采购信息25条。", [("items_published", 25)]),
    ("公开具有社会影响的行政处罚决定，全年共公开行政处罚信息9条。", [("items_published", 9)]),
    # the channel named in an earlier clause, or counted just before, is where items were published
    ("“某某发布”微信公众号，共发布信息216条。", [("wechat.posts", 216)]),
    ("开设微博3个，共发布信息120条；微信公众号2个，共发布信息80条。",
     [("new_media.accounts", 3), ("weibo.posts", 120), ("new_media.accounts", 2), ("wechat.posts", 80)]),
    # a total over several channels is items published
    ("全年微信公众号、微博、抖音账号共发布信息300条。", [("items_published", 300)]),
    # the counted noun right after the counter beats a generic cue and any cue of an earlier clause
    ("在全县12个乡镇设置信息联络员。", [("organisations", 12)]),
    ("在门户网站开设公开专区，建设5个子栏目。", [("columns", 5)]),
    ("我们在平台进驻了8项行政审批事项。", [("online_services", 8)]),
    # a verb is never the counted noun; after a modifier ending in 的 the head is
    ("我委制定重大决策3项并归集展示。", [("other", 3)]),
    ("注销3个长期无人维护或重复建设的政务新媒体。", [("new_media.accounts", 3)]),
    # a generic noun of an earlier clause is no cue of this one
    ("发布政策文件和工作动态，传达了上级文件精神，6条补贴公示情况。", [("other", 6)]),
    # a number that names what it counts, with a name that is no cue, is other
    ("通过微信公众号发布文章50篇，累计阅读人数3.2万。", [("wechat.posts", 50), ("other", 32000)]),
    # settled after received: the metric of what was received (no 申请 in the sentence)
    ("依托热线平台，共收到300件咨询投诉件，已办结290件。", [("hotline.messages", 300), ("hotline.messages", 290)]),
    # a noun that names the metric only after the counter
    ("本年度全区共收到25件申请。", [("applications.new_received.total", 25)]),
    # 清理…条: problems fixed
    ("开展网站信息排查，清理过时信息15条。", [("problems_fixed", 15)]),
    # 废止N件 is a normative document only in a sentence about 规范性文件
    ("全年制发行政规范性文件3件，废止2件。",
     [("active.art20_1.normative_documents.issued", 3), ("active.art20_1.normative_documents.repealed", 2)]),
    ("开展规范性文件清理工作。全年废止4件。", [("other", 4)]),
    # a line that starts with a count goes on the sentence before
    ("加大公开力度，全年制发规范性文件\n2 件。", [("active.art20_1.normative_documents.issued", 2)]),
])
def test_metric_rules(text, expected):
    assert _m(text) == expected


def test_part_with_a_publishing_verb_of_its_own():
    cs = _claims("公开权责事项100项（其中行政许可20项、行政处罚80项），公开行政许可文书30份。")
    assert [(c.metric, c.value, c.scope) for c in cs][-1] == ("items_published", 30, "part")


@pytest.mark.parametrize("text", [
    "依照《条例》第十条、十二条规定公开。",  # an enumeration of articles goes on without 第
    "安排专人每天至少2次巡查网站。",  # a frequency is a rule
    "按照“4个100%”（100%受理、100%答复、100%归档）要求办理。",  # a slogan spelt out in brackets
])
def test_not_claims_rules(text):
    assert _claims(text) == [], [c.text for c in _claims(text)]


def _agency_report(text: str, agency: str) -> Report:
    r = _report(text)
    r.meta.agency = agency
    return r


def test_subunit_subject_scope():
    text = "2024年，区政府办代表区政府受理政府信息公开申请12件。"
    c = extract_claims(_agency_report(text, "某某市某某区人民政府"))[0]
    assert (c.metric, c.value, c.scope) == ("applications.new_received.total", 12, "unit")
    # an office of another kind than the agency, without 代表
    c = extract_claims(_agency_report("区政府办公室共受理政府信息公开申请12件。", "某某区人民政府"))[0]
    assert c.scope == "unit"
    # the agency itself, by name or as 我局, and a bureau whose office is the report's signer
    for text, agency in (("某某市统计局共受理政府信息公开申请12件。", "某某市统计局"),
                         ("我局共受理政府信息公开申请12件。", "某某市统计局"),
                         ("某某市商务局共受理政府信息公开申请12件。", "某某市商务局办公室"),
                         ("县政府办共受理政府信息公开申请12件。", "某某县人民政府办公室")):
        c = extract_claims(_agency_report(text, agency))[0]
        assert c.scope != "unit", (text, agency)
