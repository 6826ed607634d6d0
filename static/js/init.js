// Marks the page as JavaScript-enabled before it paints, as GOV.UK Frontend expects.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
// GOV.UK Frontend's font arrives with font-display: fallback, so a font loaded after the first
// paint swaps in and, narrower than Arial, unwraps the menu and moves the page (CLS 0.44, issue 24).
// As optional (and preloaded in base.html) it never swaps late: a page painted in Arial stays so.
if (document.fonts) document.fonts.forEach(function (face) { if (face.display === 'fallback') face.display = 'optional'; });
