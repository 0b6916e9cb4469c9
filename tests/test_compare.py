"""`nianbao compare`: CSV rows on copies of the seed fixtures in a temporary folder."""

from __future__ import annotations

import csv
import xml.dom.minidom

from corpus.compare import jaccard, shingles
from nianbao.cli import main

from .conftest import seed_path

TEXTS = [
    ("problem", "staffing", 2774, 2792, 2770, 2788, "一是人员紧缺，缺乏信息报送、统计人员"),
    ("problem", "content_quality", 2793, 2818, 2789, 2814, "二是主动公开政府信息内容与公众的需求还存在一定差距"),
    ("problem", "content_quality", 2819, 2848, 2815, 2844, "三是政府信息公开工作质量、版式创新、便民性上还需进一步提高"),
    ("measure", "mechanism", 2872, 2910, 2868, 2906, "一是加强领导，继续加大对政务信息的公开力度，促进政务信息公开工作不断落到实处"),
    ("measure", "policy_interpretation", 2911, 2941, 2907, 2937, "继续加大政策宣传力度，提高公众对交通运输工作的知晓率和参与度"),
    ("measure", "content_quality", 2955, 2986, 2951, 2982, "继续重点推进群众利益相关的信息公开，进一步规范做好信息公开工作"),
    ("measure", "platform", 2987, 3028, 2983, 3024, "以信息公开带动办事公开，以办事公开带动便民服务，进一步推动信息公开与网上办事相结合"),
    ("measure", "staffing", 3029, 3078, 3025, 3074, "三是积极参加信息公开业务学习和培训，确保政府信息公开准确、及时、规范，不断提升信息公开整体工作水平"),
]


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_compare_two_agencies_and_a_second_folder(tmp_path, capsys):
    a_dir, b_dir, out = tmp_path / "one", tmp_path / "two", tmp_path / "out"
    a_dir.mkdir()
    b_dir.mkdir()
    seed = seed_path("001").read_text(encoding="utf-8")
    (a_dir / "a.txt").write_text(seed, encoding="utf-8")
    # The same report under another agency name (4 characters shorter: offsets move by 4).
    (a_dir / "b.txt").write_text(seed.replace("尧都区交通运输局", "尧都区教育局"), encoding="utf-8")
    (a_dir / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (a_dir / "notes.md").write_text("not a report", encoding="utf-8")
    (b_dir / "c.txt").write_bytes(seed_path("002").read_bytes())

    assert main(["compare", str(a_dir), str(b_dir), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"nianbao compare: skipped {a_dir / 'broken.pdf'}: ")
    assert sorted(p.name for p in out.iterdir()) == ["duplicate_reports.csv", "repeated.csv", "topic_counts.csv",
                                                     "topics_by_year.svg", "unanswered.csv"]
    a, b, c = str(a_dir / "a.txt"), str(a_dir / "b.txt"), str(b_dir / "c.txt")

    assert rows(out / "repeated.csv") == [
        ["similarity", "kind", "topic", "agency_a", "year_a", "file_a", "start_a", "end_a", "text_a",
         "agency_b", "year_b", "file_b", "start_b", "end_b", "text_b"],
    ] + [["1.000", k, t, "尧都区交通运输局", "2024", a, str(s1), str(e1), text, "尧都区教育局", "2024", b, str(s2), str(e2), text]
         for k, t, s1, e1, s2, e2, text in TEXTS]

    per_agency = [["staffing", "1", "1", "0"], ["content_quality", "2", "2", "0"],
                  ["policy_interpretation", "0", "1", "0"], ["platform", "0", "1", "0"],
                  ["mechanism", "0", "1", "0"], ["boilerplate", "0", "0", "2"]]
    assert rows(out / "topic_counts.csv") == (
        [["agency", "region", "year", "topic", "problems", "measures", "other", "file"]]
        + [["尧都区交通运输局", "尧都区", "2024", *r, a] for r in per_agency]
        + [["尧都区教育局", "尧都区", "2024", *r, b] for r in per_agency]
        + [["忻州市交通运输局", "忻州", "2023", *r, c] for r in (
            ["staffing", "0", "1", "0"], ["awareness", "0", "1", "0"], ["content_quality", "1", "3", "0"],
            ["policy_interpretation", "1", "0", "0"], ["boilerplate", "0", "1", "1"])])

    assert rows(out / "unanswered.csv") == [
        ["agency", "region", "year", "topic", "file", "start", "end", "text"],
        ["忻州市交通运输局", "忻州", "2023", "policy_interpretation", c, "2199", "2217", "二是政策解读方面存在解读不及时的情况"],
    ]
    svg = (out / "topics_by_year.svg").read_text(encoding="utf-8")
    xml.dom.minidom.parseString(svg)  # well-formed
    assert "2023" in svg and "2024" in svg and "staffing" in svg
    assert captured.out.strip().splitlines()[0] == str(out / "topic_counts.csv")


def test_compare_missing_folder_is_unusable(tmp_path, capsys):
    assert main(["compare", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_similarity():
    assert jaccard(shingles("一是人员紧缺，缺乏信息报送"), shingles("二是人员紧缺，缺乏信息报送")) == 1.0
    assert jaccard(shingles("政策解读形式单一"), shingles("网站栏目更新不及时")) == 0.0


def test_compare_over_the_store_lists_topics_and_repeated_reports(tmp_path, monkeypatch, capsys):
    from corpus.store import Store
    from nianbao import parse_bytes

    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_DATABASE_URL", raising=False)
    store = Store()
    store.migrate()
    text = seed_path("001").read_text(encoding="utf-8")
    for agency, year in (("尧都区交通运输局", "2024"), ("临汾市交通运输局", "2025")):
        body = text.replace("尧都区交通运输局", agency).replace("2024年", f"{year}年")
        store.save_report(parse_bytes(body.encode("utf-8"), f"{agency}.txt"))
    store.close()
    out = tmp_path / "out"
    assert main(["compare", "--store", "--out", str(out)]) == 0
    with open(out / "topic_counts.csv", encoding="utf-8") as f:
        agencies = {row["agency"] for row in csv.DictReader(f)}
    assert agencies == {"尧都区交通运输局", "临汾市交通运输局"}
    with open(out / "duplicate_reports.csv", encoding="utf-8-sig") as f:
        pairs = list(csv.DictReader(f))
    # the second agency repeats the first one's report, part by part
    assert pairs and all(float(p["similarity"]) > 0.9 for p in pairs)
    assert all({p["agency_a"], p["agency_b"]} == agencies for p in pairs)


def test_compare_needs_folders_or_the_store(capsys):
    assert main(["compare"]) == 2
    assert "--store" in capsys.readouterr().err
