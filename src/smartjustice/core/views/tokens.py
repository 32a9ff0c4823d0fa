"""My API tokens: create (the plaintext is shown exactly once, in the response to the POST) and revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .. import queries, services
from ..forms import TokenForm, submit
from .guards import login_required


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    created = plaintext = None
    if request.method == "POST" and form.is_valid():
        result = submit(form, services.issue_api_token, actor=request.user, **form.cleaned_data)
        if result is not None:
            created, plaintext = result
            form = TokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": queries.list_tokens(request.user),
            "created": created,
            "plaintext": plaintext,
        },
    )
    response["Cache-Control"] = "no-store"  # the plaintext must not linger in a cache
    return response


@login_required
def token_revoke(request, pk: int):
    """GET asks for confirmation (when the page's modal is unavailable); POST revokes."""
    token = queries.get_token_for(request.user, pk, action="change")
    if request.method == "POST":
        services.revoke_api_token(token, actor=request.user)
        messages.success(request, f"令牌“{token.name}”已吊销，使用它的客户端将无法再访问。")
        return redirect("tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})
