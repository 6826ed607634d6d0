"""Ship the Vulnerability Assessment Framework (2012) as data: 22 factors, 3 dimensions."""

from django.db import migrations

RATINGS = ["not_present", "low", "moderate", "high"]
FACTORS = [
    ("engagement", "grievance_injustice", "Grievance and injustice"),
    ("engagement", "feeling_under_threat", "Feeling under threat"),
    ("engagement", "identity_meaning_belonging", "Need for identity, meaning and belonging"),
    ("engagement", "desire_for_status", "Desire for status"),
    ("engagement", "excitement_adventure", "Desire for excitement and adventure"),
    ("engagement", "dominate_control", "Need to dominate and control"),
    ("engagement", "susceptibility_indoctrination", "Susceptibility to indoctrination"),
    ("engagement", "political_moral_change", "Desire for political or moral change"),
    ("engagement", "opportunistic_involvement", "Opportunistic involvement"),
    ("engagement", "family_friends_involved", "Family or friends involved in extremism"),
    ("engagement", "transitional_time", "Transitional time of life"),
    ("engagement", "group_influence_control", "Being influenced or controlled by a group"),
    ("engagement", "mental_health", "Relevant mental health issues"),
    ("intent", "over_identification", "Over-identification with a group or ideology"),
    ("intent", "them_and_us", "“Them and us” thinking"),
    ("intent", "dehumanisation", "Dehumanisation of the enemy"),
    ("intent", "attitudes_justify_offending", "Attitudes that justify offending"),
    ("intent", "harmful_means", "Harmful means to an end"),
    ("intent", "harmful_objectives", "Harmful objectives"),
    ("capability", "knowledge_skills", "Individual knowledge, skills and competencies"),
    ("capability", "access_networks_funding", "Access to networks, funding or equipment"),
    ("capability", "criminal_capability", "Criminal capability"),
]


def forwards(apps, schema_editor):
    Framework = apps.get_model("channel", "AssessmentFramework")
    Factor = apps.get_model("channel", "AssessmentFactor")
    framework, _ = Framework.objects.update_or_create(
        code="vaf_2012",
        defaults={"title": "Vulnerability Assessment Framework (2012)", "ratings": RATINGS},
    )
    for order, (dimension, code, label) in enumerate(FACTORS, start=1):
        Factor.objects.update_or_create(
            framework=framework,
            code=code,
            defaults={"dimension": dimension, "label": label, "order": order},
        )


def backwards(apps, schema_editor):
    apps.get_model("channel", "AssessmentFramework").objects.filter(code="vaf_2012").delete()


class Migration(migrations.Migration):
    dependencies = [("channel", "0001_panels_assessments_consent_support")]

    operations = [migrations.RunPython(forwards, backwards)]
