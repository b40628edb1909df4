"""What every admin screen of the forum shares: create, edit and delete through the services."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.text import capfirst

from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.log_actions import log

from forum.services.errors import ServiceError


class ServiceSaveMixin:
    """A create or edit screen that saves through a forum service instead of the model form.

    The service checks the rules, records the audit row and tells the index and the groups;
    the form only checks the shape. Wagtail's own history entry is kept for the admin.
    """

    log_action = "wagtail.edit"

    def save_with_service(self, data: dict):
        """Call the service with the form's cleaned data; return the saved object."""
        raise NotImplementedError

    def save_instance(self):
        instance = self.save_with_service(self.form.cleaned_data)
        log(
            instance=instance,
            action=self.log_action,
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            form.add_error(None, error.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ServiceCreateView(ServiceSaveMixin, CreateView):
    log_action = "wagtail.create"


class ServiceEditView(ServiceSaveMixin, EditView):
    log_action = "wagtail.edit"


class ServiceDeleteView(DeleteView):
    """A delete screen that deletes through a forum service, keeping Wagtail's history entry."""

    def delete_with_service(self, instance) -> None:
        """Call the service that deletes ``instance``."""
        raise NotImplementedError

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            self.delete_with_service(self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            messages.error(self.request, error.message)
            return redirect(self.get_success_url())


def boolean_column(model, name: str) -> BooleanColumn:
    """A model's boolean field as Wagtail's tick/cross column, labelled and sorted like a plain
    one; its screen-reader words (はい／いいえ) come from the project's override of Wagtail's
    cell template (templates/wagtailadmin/tables/boolean_cell.html)."""
    return BooleanColumn(
        name, label=capfirst(model._meta.get_field(name).verbose_name), sort_key=name
    )
