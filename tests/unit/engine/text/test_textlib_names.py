"""Local leaders' names are learnt from the site; a one-character near-miss is flagged."""

from govinspect.engine.text.names import NameBook


def book(*pages):
    b = NameBook()
    for url, text in pages:
        b.observe(url, text)
    return b


def test_near_miss_of_a_listed_name_is_flagged():
    b = book(
        ("/ldxx.html", "领导信息 王建国　局长 李志强　副局长"),
        ("/a.html", "近日，局长王建果出席会议并讲话。副局长李志强主持会议。"),
    )
    assert [(m.url, m.name, right) for m, right in b.near_misses()] == [("/a.html", "王建果", "王建国")]


def test_different_officials_are_not_near_misses():
    b = book(
        ("/ldxx.html", "王建国　局长 王建军　副局长"),
        ("/a.html", "局长王建国出席，副局长王建军主持。"),
    )
    assert b.near_misses() == []


def test_a_frequent_name_is_trusted_without_a_listing():
    b = book(*[(f"/{i}.html", f"县长张晓明在会上强调{i}。") for i in range(3)], ("/x.html", "县长张小明出席。"))
    assert [(m.name, right) for m, right in b.near_misses()] == [("张小明", "张晓明")]


def test_a_biography_or_a_label_teaches_a_name():
    b = book(
        ("/ldxx.html", "邓德胜\n简历：邓德胜，男，汉族，1979年11月生，大学学历。\n姓名：郭秀英"),
        ("/a.html", "副局长邓德盛出席会议并讲话。县长郭秀瑛出席。"),
    )
    assert sorted((m.name, right) for m, right in b.near_misses()) == [("邓德盛", "邓德胜"), ("郭秀瑛", "郭秀英")]
