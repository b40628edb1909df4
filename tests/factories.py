"""factory_boy factories for the forum's people, organisations and catalogue datasets."""

from django.contrib.auth import get_user_model

import factory
from allauth.account.models import EmailAddress

from forum.models import CatalogDataset, Membership, Municipality, Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"利用者{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    kind = Organisation.Kind.COMPANY
    status = Organisation.Status.APPROVED


class MunicipalityOrganisationFactory(OrganisationFactory):
    kind = Organisation.Kind.MUNICIPALITY
    municipality = factory.Iterator(
        Municipality.objects.exclude(kind="prefecture").order_by("code")
    )
    name = factory.LazyAttribute(lambda o: o.municipality.name)


class SecretariatFactory(OrganisationFactory):
    kind = Organisation.Kind.SECRETARIAT
    name = factory.Sequence(lambda n: f"事務局{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class CatalogDatasetFactory(factory.django.DjangoModelFactory):
    """A dataset of the open-data catalogue: ORDEN unless told otherwise."""

    class Meta:
        model = CatalogDataset

    slug = "orden"
    name_ja = "ORDEN"
    publisher = "大阪府"
    url = factory.LazyAttribute(lambda o: f"https://example.jp/{o.slug}")
    licence = "cc-by-4.0"
    formats = "API"


def listed_and_retired_datasets() -> tuple[CatalogDataset, CatalogDataset]:
    """ORDEN, listed, and a dataset that has left the catalogue."""
    return (
        CatalogDatasetFactory(),
        CatalogDatasetFactory(slug="old", name_ja="廃止したデータ", is_active=False),
    )
