from search.analysis import analyze, analyze_fields, normalise, tokenize, word_terms, words


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


def test_words_are_whole_content_words_with_spelling_variants_folded():
    """The words sub-field: particles and light verbs dropped, base forms, サーバー = サーバ."""
    assert word_terms("サーバーとサーバを管理する", synonyms=False) == ["サーバ", "サーバ", "管理"]
    assert word_terms("ｺﾝﾋﾟｭｰﾀｰで点検した", synonyms=False) == ["コンピュータ", "点検"]
    assert word_terms("附属施設", synonyms=False) != word_terms("付属施設", synonyms=False)
    assert set(word_terms("附属施設")) & {"付属"}  # the glossary's spelling variants
    assert set(word_terms("取組")) & {"取り組み"}


def test_glossary_terms_stay_one_word_and_english_words_stay_whole():
    """IPADIC alone splits ドローン into ド + ローン (loan); the glossary keeps it whole."""
    assert "ローン" not in word_terms("ドローンで橋梁を点検", synonyms=False)
    assert word_terms("ドローンで橋梁を点検", synonyms=False) == ["ドローン", "橋梁", "点検"]
    assert "drone" in word_terms("ドローン")
    assert word_terms("Water level monitoring with ＡＩ", synonyms=False) == [
        "water",
        "level",
        "monitoring",
        "ai",
    ]


def test_words_know_where_they_stand_and_bigrams_are_kept_for_recall():
    """Offsets index the folded text; every text field also keeps its bigrams."""
    folded = normalise("高齢者の見守り")
    assert [(w.surface, folded[w.start : w.end]) for w in words(folded)][0] == ("高齢者", "高齢者")
    fields = analyze_fields({"title": "見守りサービス", "summary": "", "description": ""})
    assert fields["title"][:2] == ["見守", "守り"] and "見守り" in fields["title.words"]
    assert fields["summary"] == [] and fields["summary.words"] == []


def test_an_unknown_loanword_is_one_word_even_around_a_glossary_term():
    """マップ and アプリ are glossary terms; a loanword the dictionary does not know stays whole
    around them (as Kuromoji reads it), while known words beside them stay apart."""
    assert word_terms("ヒートマップで可視化", synonyms=False)[0] == "ヒートマップ"
    assert word_terms("株式会社セラピアプリ", synonyms=False) == ["株式会社", "セラピアプリ"]
    assert word_terms("ハザードマップ", synonyms=False) == ["ハザード", "マップ"]
    assert word_terms("令和8年度", synonyms=False)[0] == "令和"  # newer than IPADIC 2007


def test_white_space_parts_the_words_on_each_side():
    """The tagger skips white space; the words still know a line or a space stood between."""
    folded = normalise("見守り\nため池")
    found = words(folded)
    assert [w.surface for w in found] == ["見守り", "\n", "ため池"]
    assert found[1].term == "" and found[2].start == 4


def test_each_thread_reads_with_its_own_tagger_and_all_agree():
    """The development server answers in threads: a tagger must not read two texts at once."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from search import analysis

    texts = [f"ため池{n}箇所の水位をセンサーで見守り、豪雨の前に知らせたい" for n in range(200)]
    expected = [analysis._tagged(normalise(t)) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda t: analysis._tagged(normalise(t)), texts)) == expected
    both_alive = threading.Barrier(2)

    def tagger_of_this_thread(_):
        both_alive.wait(timeout=10)
        return analysis._tagger()

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(tagger_of_this_thread, range(2))
    assert first is not second


def test_the_glossary_dictionary_is_compiled_once_per_version(monkeypatch):
    """Compiled into the temporary directory under a hash of its rows: reused while the glossary
    stays the same, compiled again when it changes."""
    from search import analysis

    first = analysis._user_dictionary()
    assert first.exists() and analysis._user_dictionary() == first
    analysis._user_dictionary.cache_clear()
    monkeypatch.setattr(analysis, "NEWER_WORDS", ("令和", "万博記念公園"))
    try:
        changed = analysis._user_dictionary()
        assert changed != first and changed.exists()
    finally:
        analysis._user_dictionary.cache_clear()
