"""Part 五 statements: exact spans on the seed fixtures, problems stated elsewhere, item heads,
labels from the committed model, the JSON model loaded without scikit-learn, pairing, and the
JSON round trip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nianbao.model import Report, Section, Source, Statement
from nlp.classify import KeywordLabeller, LinearLabeller, document, item_heads, label, pair, topic_cue_tokens
from nlp.statements import problems_elsewhere, report_statements, split_statements

from ..conftest import parsed

ROOT = Path(__file__).resolve().parents[2]


def spans(sid):
    return [(s.text, s.kind, s.start, s.end) for s in split_statements(parsed(sid))]


def labelled(sid):
    return [(s.text, s.kind, s.topic) for s in parsed(sid).statements]


def test_every_span_is_exact(seed_id):
    r = parsed(seed_id)
    sts = split_statements(r)
    assert sts
    sec = r.section(5)
    for s in sts:
        assert r.text[s.start:s.end] == s.text
        assert sec.start <= s.start < s.end <= sec.end
        assert s.text == s.text.strip().rstrip("。；;，")


def test_seed_001_split_and_heading_context():
    # The intro sets the default to problem, "针对存在问题…加以改进：" switches it to measure;
    # enumeration marks stay in the text, a 一是 item with two sentences gives two statements.
    assert spans("001") == [
        ("2024年我局信息公开工作平稳有序开展，工作虽然取得了一些成绩，但与区委、区政府的要求和群众的期望还有一定的差距，主要表现在：",
         "problem", 2711, 2774),
        ("一是人员紧缺，缺乏信息报送、统计人员", "problem", 2774, 2792),
        ("二是主动公开政府信息内容与公众的需求还存在一定差距", "problem", 2793, 2818),
        ("三是政府信息公开工作质量、版式创新、便民性上还需进一步提高", "problem", 2819, 2848),
        ("针对存在问题和不足，我局将采取措施加以改进：", "measure", 2850, 2872),
        ("一是加强领导，继续加大对政务信息的公开力度，促进政务信息公开工作不断落到实处", "measure", 2872, 2910),
        ("继续加大政策宣传力度，提高公众对交通运输工作的知晓率和参与度", "measure", 2911, 2941),
        ("二是深化政府信息公开内容", "measure", 2942, 2954),
        ("继续重点推进群众利益相关的信息公开，进一步规范做好信息公开工作", "measure", 2955, 2986),
        ("以信息公开带动办事公开，以办事公开带动便民服务，进一步推动信息公开与网上办事相结合", "measure", 2987, 3028),
        ("三是积极参加信息公开业务学习和培训，确保政府信息公开准确、及时、规范，不断提升信息公开整体工作水平", "measure", 3029, 3078),
    ]


def test_seed_000_headings_are_not_statements():
    # （一）主要问题。 and （二）改进措施。 only switch the default kind.
    assert spans("000") == [
        ("互动交流渠道效能未充分发挥：在线访谈、征集调查等互动形式虽已开展，但未收到网民留言及有效意见建议，智能问答功能缺失，互动的针对性和实效性有待提升",
         "problem", 3711, 3783),
        ("完善统一互动交流平台功能，开通智能问答服务，优化留言办理流程", "measure", 3793, 3823),
        ("提前谋划在线访谈主题，广泛征集群众关心的热点问题，提高访谈针对性", "measure", 3824, 3856),
        ("扩大征集调查宣传范围，通过网站、微信公众号等多渠道推送，鼓励群众参与，确保互动交流取得实效", "measure", 3857, 3902),
    ]


def test_seed_004_numbered_items_under_headings():
    got = spans("004")
    assert [t for t, *_ in got][:4] == [
        "1.对政务公开工作的重要性还未认识到位，日常工作中为民服务的重心依旧放在完善本职工作上",
        "2.公开内容比较简单，公开面还不够广，部门公开栏目更新较为迟缓",
        "3.政务公开的重点不够突出、不够全面，信息质量有待提高",
        "1.进一步健全制度",
    ]
    assert [k for _, k, *_ in got] == ["problem"] * 3 + ["measure"] * 6


def test_seed_001_labels_from_the_pipeline():
    # The committed model (trained on these seeds among others): in-sample labels.
    assert labelled("001") == [
        ("2024年我局信息公开工作平稳有序开展，工作虽然取得了一些成绩，但与区委、区政府的要求和群众的期望还有一定的差距，主要表现在：",
         "other", "boilerplate"),
        ("一是人员紧缺，缺乏信息报送、统计人员", "problem", "staffing"),
        ("二是主动公开政府信息内容与公众的需求还存在一定差距", "problem", "content_quality"),
        ("三是政府信息公开工作质量、版式创新、便民性上还需进一步提高", "problem", "content_quality"),
        ("针对存在问题和不足，我局将采取措施加以改进：", "other", "boilerplate"),
        ("一是加强领导，继续加大对政务信息的公开力度，促进政务信息公开工作不断落到实处", "measure", "mechanism"),
        ("继续加大政策宣传力度，提高公众对交通运输工作的知晓率和参与度", "measure", "policy_interpretation"),
        ("二是深化政府信息公开内容", "measure", "content_quality"),
        ("继续重点推进群众利益相关的信息公开，进一步规范做好信息公开工作", "measure", "content_quality"),
        ("以信息公开带动办事公开，以办事公开带动便民服务，进一步推动信息公开与网上办事相结合", "measure", "platform"),
        ("三是积极参加信息公开业务学习和培训，确保政府信息公开准确、及时、规范，不断提升信息公开整体工作水平", "measure", "staffing"),
    ]
    by_text = {s.text: s for s in parsed("001").statements}
    assert by_text["一是人员紧缺，缺乏信息报送、统计人员"].answered_by == [10]
    assert by_text["二是主动公开政府信息内容与公众的需求还存在一定差距"].answered_by == [7, 8]
    assert by_text["一是加强领导，继续加大对政务信息的公开力度，促进政务信息公开工作不断落到实处"].answered_by is None


def test_seed_000_labels_and_pairing():
    assert labelled("000") == [
        ("互动交流渠道效能未充分发挥：在线访谈、征集调查等互动形式虽已开展，但未收到网民留言及有效意见建议，智能问答功能缺失，互动的针对性和实效性有待提升",
         "problem", "interaction"),
        ("完善统一互动交流平台功能，开通智能问答服务，优化留言办理流程", "measure", "interaction"),
        ("提前谋划在线访谈主题，广泛征集群众关心的热点问题，提高访谈针对性", "measure", "interaction"),
        ("扩大征集调查宣传范围，通过网站、微信公众号等多渠道推送，鼓励群众参与，确保互动交流取得实效", "measure", "interaction"),
    ]
    assert parsed("000").statements[0].answered_by == [1, 2, 3]


def test_seed_002_unanswered_problem():
    sts = parsed("002").statements
    p = next(s for s in sts if s.text == "二是政策解读方面存在解读不及时的情况")
    assert (p.kind, p.topic, p.answered_by) == ("problem", "policy_interpretation", [])


def test_fallback_finds_part_five_by_its_title():
    # 2008-2018 reports: the structure stage does not find 五, the splitter finds it by its title.
    text = ("四、其他。五、主要问题和改进措施虽然，我区工作取得了一定成效，但还存在个别公开单位责任意识不强等问题。"
            "下一步，我区将加强队伍建设，提升业务素质。六、政府信息公开情况统计表")
    r = Report(source=Source("x.txt", "0", "text"), text=text)
    got = [(s.text, s.kind) for s in split_statements(r)]
    assert got == [("虽然，我区工作取得了一定成效，但还存在个别公开单位责任意识不强等问题", "problem"),
                   ("下一步，我区将加强队伍建设，提升业务素质", "measure")]
    for s in split_statements(r):
        assert text[s.start:s.end] == s.text


def test_no_problems_stated_elsewhere_in_the_seeds(seed_id):
    # Outside part 五 the seeds only report work done: "全年发现并整改信息更新不及时、表述不规范等
    # 问题46处" (seed 000) and "致力解决…方面存在的问题" (seed 004) are problems found and fixed or
    # solved, not shortcomings; the preamble's list of parts ("…存在的主要问题及改进情况…") neither.
    r = parsed(seed_id)
    assert problems_elsewhere(r) == []
    assert {s.part for s in r.statements} == {5}
    assert [(s.start, s.end) for s in r.statements] == [(s.start, s.end) for s in split_statements(r)]


def _report_with_a_problem_in_part_one():
    text = ("一、总体情况\n2024年，本局主动公开政府信息120条。部分栏目信息更新不及时，时效性还有待提高。"
            "全年发现并整改错别字等问题3处。\n五、存在的主要问题及改进情况\n一是政策解读形式单一。"
            "二是丰富解读形式，开展图解、视频解读。\n六、其他需要报告的事项\n本局未收取信息处理费。")
    i5, i6 = text.index("五、"), text.index("六、")
    return Report(source=Source("x.txt", "0", "text"), text=text,
                  sections=[Section(1, "总体情况", 0, i5), Section(5, "存在的主要问题及改进情况", i5, i6),
                            Section(6, "其他需要报告的事项", i6, len(text))])


def test_problem_stated_in_part_one_is_a_statement_with_its_part():
    r = _report_with_a_problem_in_part_one()
    assert [(s.text, s.kind, s.part, s.start, s.end) for s in problems_elsewhere(r)] == [
        ("部分栏目信息更新不及时，时效性还有待提高", "problem", 1, 28, 48)]
    sts = pair(label(report_statements(r), LinearLabeller.load()))
    assert [(s.text, s.kind, s.topic, s.part, s.answered_by) for s in sts] == [
        ("部分栏目信息更新不及时，时效性还有待提高", "problem", "timeliness", 1, []),
        ("一是政策解读形式单一", "problem", "policy_interpretation", 5, [2]),
        ("二是丰富解读形式，开展图解、视频解读", "measure", "policy_interpretation", 5, None),
    ]
    for s in sts:
        assert r.text[s.start:s.end] == s.text


def test_what_counts_as_a_problem_stated_elsewhere():
    # A shortcoming of the agency's own work that still exists; not problems found and fixed,
    # solved or avoided, nor the preamble's list of parts.
    def found(clause):
        r = Report(source=Source("x.txt", "0", "text"), text=clause + "。")
        return [s.text for s in problems_elsewhere(r)]

    for own in ("部分栏目信息更新不及时，时效性还有待提高", "办公室对各处室的督促力度仍需进一步加强",
                "但与群众的期望还有一定差距", "政策解读形式还不够丰富"):
        assert found(own) == [own]
    for not_own in ("全年发现并整改信息更新不及时、表述不规范等问题46处",  # seed 000, part 一
                    "所有申请均在法定期限内完成答复，答复规范率、及时率均达100%，未出现超期答复或程序瑕疵问题",
                    "致力解决阻碍人民群众在“行”方面存在的问题",  # seed 004, part 一
                    "对存在更新不及时等问题的账号进行督查整改",
                    "本报告由总体情况、…、存在的主要问题及改进情况、其他需要报告的事项等六部分组成"):
        assert found(not_own) == []


def test_item_heads_of_seed_001():
    # A clause without an enumeration mark continues the item before it, while the heading
    # context stays the same ("针对存在问题…" switches to measure: no head).
    sts = split_statements(parsed("001"))
    heads = item_heads([s.text for s in sts], [s.kind for s in sts], [s.part for s in sts])
    one, two = "一是加强领导，继续加大对政务信息的公开力度，促进政务信息公开工作不断落到实处", "二是深化政府信息公开内容"
    assert heads == [None, None, None, None, None, None, one, None, two, two, None]


def test_topic_cues_with_the_item_head():
    doc = document("继续重点推进群众利益相关的信息公开", "measure", "二是深化政府信息公开内容")
    assert topic_cue_tokens(doc) == ["HKW=content_quality"]
    assert topic_cue_tokens(document("部门公开栏目更新较为迟缓", "problem")) == [
        "KW=timeliness", "KWW=迟缓", "KW=platform", "KWW=栏目"]


def test_keyword_baseline():
    kw = KeywordLabeller()
    assert kw.topic("一是人员紧缺，缺乏信息报送、统计人员") == "staffing"
    assert kw.kind("一是人员紧缺，缺乏信息报送、统计人员") == "problem"
    assert kw.topic("与群众期望还有一定差距") == "boilerplate"


def test_model_json_needs_no_sklearn():
    code = ("import sys, nlp.classify as c; lab = c.LinearLabeller.load(); "
            "print(lab.topic('一是人员紧缺，缺乏信息报送、统计人员', 'problem')); "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["staffing", "False"]


def test_label_and_pair_on_plain_statements():
    sts = [Statement("政策解读形式单一", "problem", None, 0, 8), Statement("丰富政策解读形式，开展图解、视频解读", "measure", None, 9, 27)]
    pair(label(sts, LinearLabeller.load()))
    assert [(s.kind, s.topic) for s in sts] == [("problem", "policy_interpretation"), ("measure", "policy_interpretation")]
    assert sts[0].answered_by == [1]


def test_statement_round_trip_with_pairs():
    d = parsed("001").to_dict()
    assert d["statements"][1] == {"text": "一是人员紧缺，缺乏信息报送、统计人员", "kind": "problem", "topic": "staffing",
                                  "start": 2774, "end": 2792, "answered_by": [10], "part": 5}
    assert "answered_by" not in d["statements"][0]
    again = Report.from_json(json.dumps(d, ensure_ascii=False)).to_dict()
    assert again["statements"] == d["statements"]
