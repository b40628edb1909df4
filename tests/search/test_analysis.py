from search.analysis import analyze, normalise, tokenize


def test_width_and_case_variants_fold_together():
    """Full-width, half-width katakana and case variants give the same tokens."""
    assert normalise("ＡＩとＩｏＴ") == "aiとiot"
    assert analyze("ﾄﾞﾛｰﾝ", synonyms=False) == analyze("ドローン", synonyms=False)
    assert analyze("ｽﾏﾎ", synonyms=False) == analyze("スマホ", synonyms=False)


def test_cjk_runs_become_bigrams_and_latin_words_stay_whole():
    """Like cjk_bigram: overlapping pairs for Japanese, whole words for English."""
    assert tokenize("見守りサービス") == ["見守", "守り", "りサ", "サー", "ービ", "ビス"]
    assert tokenize("防") == ["防"]
    assert tokenize("cloud platform 5g") == ["cloud", "platform", "5g"]


def test_synonyms_connect_japanese_and_english_terms():
    """ドローン and UAV share tokens once the synonym list applies."""
    assert set(analyze("ドローン")) & set(analyze("UAV inspection"))
    assert "drone" in analyze("ドローンによる点検")
    assert not set(analyze("UAV", synonyms=False)) & set(analyze("ドローン", synonyms=False))


def test_short_ascii_synonym_needs_word_boundary():
    """'ai' inside another word does not trigger the AI synonyms."""
    assert "人工" not in "".join(analyze("maintain"))
    assert "人工" in "".join(analyze("AI chatbot"))
