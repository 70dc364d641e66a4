"""The admin page revising the confidence questions: each save is a new version; past answers keep theirs."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from inclusion.auth.decorators import requires_role
from inclusion.forms import StripWhitespaceForm
from inclusion.outcomes import services
from inclusion.outcomes.models import ANSWER_COLUMNS
from inclusion.routing import BlueprintRoutes
from inclusion.sessions.constants import SKILL_AREAS

# Added to the admin blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()
LABELS = {"overall": "Overall confidence", **{code.lower(): name for code, name in SKILL_AREAS.items()}}


def _question(column: str) -> TextAreaField:
    return TextAreaField(
        LABELS[column],
        widget=GovTextArea(),
        validators=[DataRequired(f"Enter the question for {LABELS[column].lower()}"), Length(max=300)],
    )


class QuestionSetForm(StripWhitespaceForm):
    overall = _question("overall")
    fnd = _question("fnd")
    com = _question("com")
    hic = _question("hic")
    tra = _question("tra")
    prb = _question("prb")
    saf = _question("saf")
    submit = SubmitField("Save as a new version", widget=GovSubmitInput())


@routes.route("/confidence-questions", methods=["GET", "POST"])
@requires_role("admin")
def confidence_questions():
    current = services.current_question_set()
    form = QuestionSetForm(data={column: current.question(column) for column in ANSWER_COLUMNS})
    if form.validate_on_submit():
        try:
            revised = services.revise_question_set(current_user, {c: form[c].data for c in ANSWER_COLUMNS})
        except services.CheckError as error:
            getattr(form, error.field or "overall").errors.append(str(error))
        else:
            flash(f"Saved the questions as version {revised.version}. Checks already recorded keep theirs.", "success")
            return redirect(url_for("admin.confidence_questions"))
    return render_template("outcomes/questions.html", form=form, current=current)
