"""The one body StreamBlock every page shares; each block sets its icon, template and preview."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("見出し"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("レベル"), choices=[("h2", _("大見出し")), ("h3", _("中見出し"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("見出し")
        template = "cms/blocks/heading_block.html"
        preview_value = {"text": "地域の課題", "level": "h2"}
        description = _("本文を区切る見出し")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("タイトル"), max_length=120)
    text = blocks.RichTextBlock(label=_("本文"), features=["bold", "link", "ul"])

    class Meta:
        icon = "warning"
        label = _("囲み記事")
        template = "cms/blocks/callout_block.html"
        preview_value = {"title": "ご注意ください", "text": "<p>提案の締切は厳守です。</p>"}
        description = _("目立たせたい注意書きやお知らせ")


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("リンクの名前"), max_length=200)
    url = blocks.URLBlock(label=_("URL"))
    description = blocks.CharBlock(label=_("説明"), required=False, max_length=300)

    class Meta:
        icon = "link"
        label = _("リンク")
        template = "cms/blocks/link_block.html"
        preview_value = {
            "title": "大阪府オープンデータ",
            "url": "https://www.pref.osaka.lg.jp/",
            "description": "",
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("資料"))
    caption = blocks.CharBlock(label=_("説明"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("資料")
        template = "cms/blocks/document_block.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageBlock(label=_("画像"))
    caption = blocks.CharBlock(label=_("キャプション"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("画像")
        template = "cms/blocks/image_block.html"


class BodyBlock(blocks.StreamBlock):
    """Free text for every page type: headings, paragraphs, callouts, links, documents, images."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("段落"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        template="cms/blocks/paragraph_block.html",
        preview_value="<p>府内の市町村と企業が協力して、地域の課題を解決します。</p>",
        description=_("本文の段落"),
    )
    callout = CalloutBlock()
    link = LinkBlock()
    document = DocumentBlock()
    image = ImageWithCaptionBlock()

    class Meta:
        block_counts = {}
