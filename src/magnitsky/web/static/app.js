// magnitsky web: an enhancement only. Every page reads and filters without it.
// - filters left empty stay out of the address;
// - judging a match needs the write token in an Authorization header, which a plain form
//   cannot send: this sends it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const filters of document.querySelectorAll("form.filters")) {
    filters.addEventListener("submit", () => {
      for (const field of filters.querySelectorAll("input, select")) {
        if (field.name && field.value === "") field.disabled = true;
      }
    });
  }
  judging();
});
// Back to a page whose empty fields were disabled on submit: enable them again.
window.addEventListener("pageshow", () => {
  for (const field of document.querySelectorAll("form.filters [disabled]")) field.disabled = false;
});

function judging() {
  const form = document.getElementById("judge");
  if (!form) return;
  form.hidden = false;
  const status = form.querySelector(".status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const verdict = event.submitter ? event.submitter.value : "confirm";
    const a = form.elements.a.value;
    const b = form.elements.b.value;
    const path = [a, b].map((k) => k.split("/").map(encodeURIComponent).join("/")).join("/");
    status.textContent = "Sending…";
    try {
      const response = await fetch(`${form.dataset.endpoint}/${path}/${verdict}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${form.elements.token.value}` },
      });
      const body = await response.json();
      status.textContent = response.ok ? `Recorded: ${verdict}.` : `Not recorded: ${body.error}`;
    } catch (error) {
      status.textContent = `Not recorded: ${error}`;
    }
  });
}
