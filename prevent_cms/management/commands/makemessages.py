"""``makemessages`` that leaves out what is not ours (issue 19).

Django's own command walks every directory under the project, the virtualenv and the
front-end packages included, and keeps entries no longer in the code as obsolete ``#~`` lines.
Here those directories are always ignored and obsolete entries are dropped, so
``manage.py makemessages -l cy`` gives the one catalogue the tests compare against.
"""

from django.core.management.commands import makemessages

IGNORED = [".venv", "node_modules", "static/vendor", "staticfiles", "tests", "bench", "media"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        options["no_obsolete"] = True
        return super().handle(*args, **options)
