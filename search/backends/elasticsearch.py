"""The Elasticsearch backend through elasticsearch.dsl: versioned indices behind an alias.

The analyzers mirror search.analysis. The text fields themselves use built-ins only:
cjk_width and lowercase fold width and case, cjk_bigram splits Japanese into bigrams, and the
shared synonym file is passed inline (synonym at index time, synonym_graph at search time).
Their ``words`` sub-fields use the official analysis-kuromoji and analysis-icu plugins (installed
in the stack's image, see docker/elasticsearch/Dockerfile): NFKC folding, the Kuromoji tokenizer
(IPADIC, the glossary's Japanese terms as user dictionary), base forms, the same part-of-speech
and stop-word lists as the embedded analyser, and the katakana long-vowel stemmer. Each text
field also has an English sub-field for stemming.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings

from elasticsearch import Elasticsearch, helpers
from elasticsearch.dsl import (
    Date,
    DenseVector,
    Document,
    Index,
    Keyword,
    Long,
    Text,
    analyzer,
    char_filter,
    token_filter,
    tokenizer,
)

from forum.models import Technology
from search.analysis import (
    KATAKANA_STEM_MINIMUM,
    STOP_TAGS,
    STOP_WORDS,
    SYNONYMS_PATH,
    canonical_term,
    user_dictionary_terms,
)
from search.backends.base import SearchBackend, SearchPage, SearchQuery
from search.backends.embedded import STORED
from search.backends.es_requests import page_body, parse_hits, parse_page, search_body
from search.vectors import DIMENSIONS

KEYWORDS = ("fields", "technologies", "municipalities", "stage", "content_hash")


def technology_keys(names: list[str]) -> list[str]:
    """One spelling per synonym group (ＡＩ, AI and 人工知能 → ai), as matching compares them."""
    return sorted({canonical_term(name) for name in names})


def synonym_rules() -> list[str]:
    """The lines of the shared synonym file, in Solr format."""
    lines = SYNONYMS_PATH.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _analyzers():
    """The index and search analyzers (with synonyms) and a plain one for the text-only baseline."""
    index_synonyms = token_filter(
        "forum_synonyms", type="synonym", synonyms=synonym_rules(), lenient=True
    )
    search_synonyms = token_filter(
        "forum_synonyms_graph", type="synonym_graph", synonyms=synonym_rules(), lenient=True
    )
    chain = ["cjk_width", "lowercase", "cjk_bigram"]
    return (
        analyzer("forum_ja", tokenizer="standard", filter=[*chain, index_synonyms]),
        analyzer("forum_ja_search", tokenizer="standard", filter=[*chain, search_synonyms]),
        analyzer("forum_ja_plain", tokenizer="standard", filter=chain),
    )


def _word_analyzers():
    """The index and search analyzers of the ``words`` sub-fields (Kuromoji, as search.analysis)."""
    fold = char_filter("forum_nfkc", type="icu_normalizer", name="nfkc_cf")
    words = tokenizer(
        "forum_kuromoji",
        type="kuromoji_tokenizer",
        mode="normal",
        discard_punctuation=True,
        user_dictionary_rules=[f"{t},{t},{t},カスタム名詞" for t in user_dictionary_terms()],
    )
    chain = [
        "kuromoji_baseform",
        token_filter("forum_pos", type="kuromoji_part_of_speech", stoptags=list(STOP_TAGS)),
        token_filter(
            "forum_katakana_stem", type="kuromoji_stemmer", minimum_length=KATAKANA_STEM_MINIMUM
        ),
        "lowercase",
        token_filter("forum_stop", type="stop", stopwords=list(STOP_WORDS)),
    ]
    index_synonyms = token_filter(
        "forum_word_synonyms", type="synonym", synonyms=synonym_rules(), lenient=True
    )
    search_synonyms = token_filter(
        "forum_word_synonyms_graph", type="synonym_graph", synonyms=synonym_rules(), lenient=True
    )
    return (
        analyzer(
            "forum_ja_words", char_filter=[fold], tokenizer=words, filter=[*chain, index_synonyms]
        ),
        analyzer(
            "forum_ja_words_search",
            char_filter=[fold],
            tokenizer=words,
            filter=[*chain, search_synonyms],
        ),
    )


def _text():
    index_analyzer, search_analyzer, plain_analyzer = _analyzers()
    words_index, words_search = _word_analyzers()
    return Text(
        analyzer=index_analyzer,
        search_analyzer=search_analyzer,
        fields={
            "en": Text(analyzer="english"),
            "plain": Text(analyzer=plain_analyzer),
            "words": Text(analyzer=words_index, search_analyzer=words_search),
        },
    )


class ForumDocument(Document):
    """One challenge or solution in the index."""

    doc_type = Keyword()
    object_id = Long()
    title = _text()
    summary = _text()
    description = _text()
    fields = Keyword()
    technologies = Keyword()
    municipalities = Keyword()
    sdgs = Keyword()  # the SDG goals' numbers ("11"), a facet of the search page
    themes = Keyword()  # strategy theme slugs, a facet of the search page
    datasets = Keyword()  # catalogue dataset slugs, a facet of the search page
    technology_keys = Keyword()  # canonical technology names, for the matching clause
    stage = Keyword()
    status = Keyword()
    language = Keyword()
    published_at = Date()
    url = Keyword(index=False)
    vector_key = Keyword()
    vector = DenseVector(dims=DIMENSIONS, index=True, similarity="cosine")
    content_hash = Keyword()
    indexed_at = Date()


def alias_name() -> str:
    """The alias every read and write goes through."""
    return f"{getattr(settings, 'ELASTICSEARCH_INDEX_PREFIX', 'forum')}-documents"


def versioned_index(name: str, document: type[Document]) -> Index:
    """The definition of a fresh versioned index of one document class."""
    index = Index(name)
    index.settings(
        number_of_shards=1, number_of_replicas=getattr(settings, "ELASTICSEARCH_REPLICAS", 0)
    )
    index.document(document)
    return index


def new_index(name: str) -> Index:
    """The definition of a fresh versioned documents index."""
    return versioned_index(name, ForumDocument)


def new_client() -> Elasticsearch:
    """A client for the configured cluster, retrying timeouts a few times."""
    return Elasticsearch(
        settings.ELASTICSEARCH_URL, request_timeout=10, retry_on_timeout=True, max_retries=3
    )


# --- Versioned indices behind an alias, shared by every index of the site ------------------------

IndexBuilder = Callable[[str], Index]


def index_create(client: Elasticsearch, alias: str, build: IndexBuilder) -> str:
    """Create a new index named after the alias and the time; returns its name."""
    name = f"{alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    build(name).create(using=client)
    return name


def alias_ensure(client: Elasticsearch, alias: str, build: IndexBuilder) -> None:
    """Create a first versioned index behind the alias when there is none."""
    if not client.indices.exists_alias(name=alias):
        client.indices.put_alias(index=index_create(client, alias, build), name=alias)


def alias_indices(client: Elasticsearch, alias: str) -> list[str]:
    """The indices the alias points at now (none when it does not exist)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return list(client.indices.get_alias(name=alias).body.keys())


def alias_replace(
    client: Elasticsearch,
    alias: str,
    build: IndexBuilder,
    actions: Callable[[str], Iterable[dict]],
    *,
    prepare: Callable[[str, list[str]], None] | None = None,
) -> None:
    """Bulk-load a new index, then swap the alias to it alone in one request and drop the old ones.

    ``actions(name)`` yields the bulk actions for the new index; ``prepare(name, old)`` runs
    before the load, with the indices the alias still points at.
    """
    name = index_create(client, alias, build)
    old = alias_indices(client, alias)
    if prepare is not None:
        prepare(name, old)
    helpers.bulk(client, actions(name), chunk_size=500, max_retries=3, refresh=True)
    swap = [{"add": {"index": name, "alias": alias}}] + [
        {"remove": {"index": index, "alias": alias}} for index in old
    ]
    client.indices.update_aliases(actions=swap)
    for index in old:
        client.options(ignore_status=404).indices.delete(index=index)


def _tag_fields(facets: dict) -> dict[str, list[str]]:
    """The stored tag facets as their index fields (sdgs, themes, datasets)."""
    return {
        "sdgs": list(facets.get("sdg", [])),
        "themes": list(facets.get("theme", [])),
        "datasets": list(facets.get("dataset", [])),
    }


class ElasticsearchBackend(SearchBackend):
    """Writes through the alias; rebuilds create a new index and swap the alias atomically."""

    name = "elasticsearch"

    def __init__(self, client: Elasticsearch | None = None):
        self.client = client or new_client()

    def _source(self, doc_type: str, object_id: int, document: dict) -> dict:
        source = {
            "doc_type": doc_type,
            "object_id": object_id,
            **{key: document[key] for key in STORED if key != "facets"},
            **_tag_fields(document.get("facets") or {}),
            "technology_keys": technology_keys(document["technologies"]),
            "indexed_at": datetime.now(UTC).isoformat(),
        }
        if document.get("vector") is not None:
            source["vector"] = [round(float(x), 6) for x in document["vector"]]
        return source

    def vectors_update(self, items: list[tuple[str, int, object]]) -> None:
        """Set the centred vectors of indexed documents (partial updates in bulk)."""
        if not items:
            return
        self.ensure_alias()
        actions = (
            {
                "_op_type": "update",
                "_index": alias_name(),
                "_id": f"{doc_type}:{object_id}",
                "doc": {"vector": [round(float(x), 6) for x in vector]},
            }
            for doc_type, object_id, vector in items
        )
        helpers.bulk(self.client, actions, chunk_size=500, max_retries=3, raise_on_error=False)

    def health(self) -> str:
        """The cluster's status in a word; raises when it cannot be reached or is red."""
        quick = self.client.options(request_timeout=2, max_retries=0, retry_on_timeout=False)
        status = quick.cluster.health()["status"]
        if status == "red":
            raise RuntimeError("cluster status red")
        return f"elasticsearch ({status})"

    def ensure_alias(self) -> None:
        """Create a first versioned index behind the alias when there is none."""
        alias_ensure(self.client, alias_name(), new_index)

    def upsert(self, doc_type: str, object_id: int, document: dict) -> None:
        """Index one document under its stable id (creating the first index if none exists)."""
        self.ensure_alias()
        self.client.index(
            index=alias_name(),
            id=f"{doc_type}:{object_id}",
            document=self._source(doc_type, object_id, document),
        )

    def delete(self, doc_type: str, object_id: int) -> None:
        """Remove one document; a missing one is fine."""
        self.client.options(ignore_status=404).delete(
            index=alias_name(), id=f"{doc_type}:{object_id}"
        )

    def hashes(self, doc_type: str) -> dict[int, str]:
        """object id → content hash of everything indexed of the type."""
        query = {"term": {"doc_type": doc_type}}
        return {
            hit["_source"]["object_id"]: hit["_source"]["content_hash"]
            for hit in helpers.scan(
                self.client,
                index=alias_name(),
                query={"query": query, "_source": ["object_id", "content_hash"]},
            )
        }

    def replace_all(self, doc_type: str, documents: dict[int, dict]) -> None:
        """Copy the other types into a new index with this type's fresh documents, then swap the alias."""

        def copy_other_types(name: str, old: list[str]) -> None:
            if old:
                self.client.reindex(
                    body={
                        "source": {
                            "index": alias_name(),
                            "query": {"bool": {"must_not": {"term": {"doc_type": doc_type}}}},
                        },
                        "dest": {"index": name},
                    },
                    refresh=True,
                )

        def actions(name: str):
            return (
                {
                    "_index": name,
                    "_id": f"{doc_type}:{object_id}",
                    "_source": self._source(doc_type, object_id, document),
                }
                for object_id, document in documents.items()
            )

        alias_replace(self.client, alias_name(), new_index, actions, prepare=copy_other_types)

    def search(self, query: str, *, doc_types: tuple[str, ...]):
        """Entries ranked for a free-text query: [(hit, score)]."""
        body = search_body(query, doc_types)
        response = self.client.search(index=alias_name(), body=body)
        return parse_hits(response.body if hasattr(response, "body") else response)

    def search_page(self, query: SearchQuery) -> SearchPage:
        """One page of hits, the total and the facet counts in one request (filters, aggregations)."""
        names = dict(Technology.objects.values_list("slug", "name_ja"))
        response = self.client.search(index=alias_name(), body=page_body(query, names))
        body = response.body if hasattr(response, "body") else response
        return parse_page(body, {name: slug for slug, name in names.items()})
