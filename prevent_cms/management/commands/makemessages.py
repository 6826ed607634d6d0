"""``makemessages`` that leaves out what is not ours (issue 19).

Django's own command walks every directory under the project, the virtualenv and the
front-end packages included, and keeps entries no longer in the code as obsolete ``#~`` lines.
Here those directories are always ignored, obsolete entries are dropped and ``_lazy(...)``
(gettext_lazy imported beside gettext) is read as a translation, so
``manage.py makemessages -l cy`` gives the one catalogue the tests compare against.
"""

from django.core.management.commands import makemessages

IGNORED = [".venv", "node_modules", "static/vendor", "staticfiles", "tests", "bench", "media"]


class Command(makemessages.Command):
    # Modules that import gettext_lazy as ``_lazy`` (beside gettext as ``_``) mark words too.
    # channel.work's _count_line(kind, section, count, singular, plural, ...) takes the
    # singular and plural it hands to ngettext.
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=_lazy",
        "--keyword=_count_line:4,5",
    ]
    # A new msgid comes in untranslated, never with a neighbour's Welsh guessed as "fuzzy".
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        options["no_obsolete"] = True
        return super().handle(*args, **options)
