// An article page built from the CMS's JSON API: the article, its comments (threaded, with votes),
// the comment form, and the lost-password form. Plain JavaScript, no build step, no libraries.
"use strict";

(() => {
  const query = new URLSearchParams(window.location.search);
  const defaults = window.CMS_EXAMPLE || {};
  const CREDENTIALS = ["auto", "include", "omit", "same-origin"];
  const config = {
    api: (query.get("api") || defaults.api || "/api/v1").replace(/\/+$/, ""),
    article: query.get("article") || defaults.article || "",
    key: query.get("key") || defaults.key || "",
    credentials: [query.get("credentials"), defaults.credentials].find((v) => CREDENTIALS.includes(v)) || "auto",
  };
  const HOME_LABELS = {de: "Startseite", en: "Home", fr: "Accueil", es: "Inicio"};
  const byId = (id) => document.getElementById(id);
  let csrfToken = null;
  let article = null;

  class ApiError extends Error {
    constructor(status, problem) {
      const fields = (problem && problem.errors) || [];
      const detail = fields.length
        ? fields.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join("; ")
        : (problem && (problem.detail || problem.title)) || `HTTP ${status}`;
      super(detail);
      this.status = status;
      this.problem = problem;
    }
  }

  function apiUrl(path, params = {}) {
    const url = new URL(config.api + path, window.location.href);
    if (config.key) url.searchParams.set("key", config.key);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url;
  }

  // One call to the API. A signed-in reader's cookie makes the CMS ask for its CSRF token on writes:
  // when it does, fetch the token once and try again.
  // ``fresh`` asks the browser to check with the CMS instead of using its cached copy (an ETag makes
  // that cheap): the comment list is reloaded right after a post, within the copy's max-age.
  async function call(method, path, {params, body, fresh = false} = {}, retried = false) {
    const headers = {Accept: "application/json"};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (csrfToken && method !== "GET") headers["X-CSRF-Token"] = csrfToken;
    const request = {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: fresh ? "no-cache" : "default",
    };
    let response;
    if (config.credentials === "auto") {
      // Cookies first; a CMS that allows every origin ("*") cannot take them, and the browser then
      // refuses the answer: from then on, go without.
      try {
        response = await fetch(apiUrl(path, params), {...request, credentials: "include"});
        config.credentials = "include";
      } catch {
        config.credentials = "omit";
      }
    }
    response = response || (await fetch(apiUrl(path, params), {...request, credentials: config.credentials}));
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.ok) return data;
    const wantsToken = response.status === 403 && /X-CSRF-Token/.test((data && data.detail) || "");
    if (wantsToken && !retried && config.credentials !== "omit") {
      csrfToken = (await call("GET", "/auth/csrf")).csrf_token;
      return call(method, path, {params, body, fresh}, true);
    }
    throw new ApiError(response.status, data);
  }

  function formatTime(iso, lang) {
    if (!iso) return "";
    return new Date(iso).toLocaleString(lang || undefined, {dateStyle: "long", timeStyle: "short"});
  }

  function setTime(element, iso, lang) {
    element.dateTime = iso || "";
    element.textContent = formatTime(iso, lang);
  }

  function safeLink(href) {
    try {
      const url = new URL(href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  // The article ---------------------------------------------------------------------------------

  async function loadArticle() {
    const include = {include: "authors,tags"};
    if (config.article) {
      return (await call("GET", `/articles/slug/${encodeURIComponent(config.article)}`, {params: include})).data;
    }
    const newest = await call("GET", "/articles", {params: {limit: 1, fields: "id"}});
    if (!newest.data.length) throw new Error("The CMS has no published article yet.");
    return (await call("GET", `/articles/${newest.data[0].id}`, {params: include})).data;
  }

  function renderArticle(data) {
    const lang = data.language || "en";
    document.documentElement.lang = lang;
    document.title = data.meta_title || data.title;
    byId("crumb-home").textContent = HOME_LABELS[lang.split("-")[0]] || HOME_LABELS.en;
    byId("crumb-title").textContent = data.title;
    byId("title").textContent = data.title;
    setTime(byId("published"), data.published_at, lang);

    const authors = byId("authors");
    authors.replaceChildren();
    (data.authors || []).forEach((author, index, all) => {
      if (index > 0) authors.append(index === all.length - 1 ? " and " : ", ");
      const name = document.createElement("span");
      name.className = "author";
      name.textContent = author.name;
      authors.append(name);
    });
    if (authors.childNodes.length) authors.prepend("By ");

    const image = data.feature_image;
    byId("feature").hidden = !image;
    if (image) {
      byId("feature-image").src = image.url;
      byId("feature-image").alt = image.alt || "";
      byId("feature-caption").textContent = image.caption || "";
      byId("feature-caption").hidden = !image.caption;
    }

    // The CMS renders the body from Markdown and sanitises it; it is shown as it comes.
    byId("body").innerHTML = data.html || "";

    const tags = byId("tags");
    tags.replaceChildren(
      ...(data.tags || []).map((tag) => {
        const item = document.createElement("li");
        item.className = "tag";
        item.textContent = tag.name;
        return item;
      }),
    );
    byId("article").hidden = false;
  }

  // Comments ------------------------------------------------------------------------------------

  const VOTES = "cms-example-votes";
  function myVotes() {
    try {
      return JSON.parse(window.localStorage.getItem(VOTES) || "{}");
    } catch {
      return {};
    }
  }

  function remember(commentId, value) {
    const votes = myVotes();
    if (value) votes[commentId] = value;
    else delete votes[commentId];
    try {
      window.localStorage.setItem(VOTES, JSON.stringify(votes));
    } catch {
      // Private windows may refuse storage; the vote still counts.
    }
  }

  function showVotes(element, comment, mine) {
    element.querySelector(".vote-up .count").textContent = comment.upvotes;
    element.querySelector(".vote-down .count").textContent = comment.downvotes;
    element.querySelector(".vote-up").setAttribute("aria-pressed", String(mine === 1));
    element.querySelector(".vote-down").setAttribute("aria-pressed", String(mine === -1));
  }

  async function vote(element, comment, direction) {
    const mine = myVotes()[comment.id] || 0;
    const value = mine === direction ? 0 : direction;
    const buttons = element.querySelectorAll(".vote");
    buttons.forEach((button) => (button.disabled = true));
    try {
      const totals = await call("POST", `/comments/${comment.id}/votes`, {body: {value}});
      remember(comment.id, value);
      showVotes(element, totals, value);
    } catch (error) {
      window.alert(`Your vote was not counted: ${error.message}`);
    } finally {
      buttons.forEach((button) => (button.disabled = false));
    }
  }

  function renderComment(comment, lang) {
    const item = byId("comment-template").content.firstElementChild.cloneNode(true);
    item.id = `comment-${comment.id}`;
    const box = item.querySelector("article");
    const author = item.querySelector(".comment-author");
    const link = comment.author_url && safeLink(comment.author_url);
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.rel = "nofollow ugc noopener noreferrer";
      anchor.textContent = comment.author_name;
      author.append(anchor);
    } else {
      author.textContent = comment.author_name;
    }
    setTime(item.querySelector(".comment-time"), comment.created_at, lang);
    // Comment HTML is sanitised by the CMS to the allowed tags listed under the form.
    item.querySelector(".comment-body").innerHTML = comment.html;
    showVotes(box, comment, myVotes()[comment.id] || 0);
    box.querySelector(".vote-up").addEventListener("click", () => vote(box, comment, 1));
    box.querySelector(".vote-down").addEventListener("click", () => vote(box, comment, -1));
    box.querySelector(".reply").addEventListener("click", () => replyTo(comment, item));
    item.querySelector(".replies").append(...comment.replies.map((reply) => renderComment(reply, lang)));
    return item;
  }

  async function loadComments() {
    const result = await call("GET", `/articles/${article.id}/comments`, {params: {limit: 100}, fresh: true});
    const count = result.meta.comment_count;
    byId("comment-count").textContent = count === 1 ? "1 comment" : `${count} comments`;
    if (result.meta.comments_open === false) {
      byId("respond").hidden = true;
      byId("comment-count").textContent += " · Comments are closed.";
    }
    byId("threads").replaceChildren(...result.data.map((thread) => renderComment(thread, article.language)));
  }

  async function loadPolicy() {
    const policy = (await call("GET", "/comments/policy")).data;
    byId("allowed-tags").textContent = policy.allowed_tags_note;
  }

  // The comment form: one form, moved under the comment being answered.
  function replyTo(comment, item) {
    const form = byId("comment-form");
    form.elements.parent_id.value = comment.id;
    byId("reply-title").firstChild.textContent = `Reply to ${comment.author_name} `;
    byId("cancel-reply").hidden = false;
    item.querySelector("article").after(byId("respond"));
    form.elements.body.focus();
  }

  function cancelReply() {
    const form = byId("comment-form");
    form.elements.parent_id.value = "";
    byId("reply-title").firstChild.textContent = "Leave a reply ";
    byId("cancel-reply").hidden = true;
    byId("comments").append(byId("respond"));
  }

  async function postComment(event) {
    event.preventDefault();
    const form = event.target;
    const message = byId("comment-message");
    const values = Object.fromEntries(new FormData(form));
    // A signed-in reader may leave name and email out; empty fields are not sent.
    const body = {body: values.body};
    for (const name of ["author_name", "author_email", "author_url", "parent_id"]) {
      if (values[name].trim()) body[name] = values[name].trim();
    }
    body.honeypot = values.honeypot || "";
    message.className = "message";
    message.textContent = "Sending…";
    form.querySelector("button[type=submit]").disabled = true;
    try {
      const posted = (await call("POST", `/articles/${article.id}/comments`, {body})).data;
      form.elements.body.value = "";
      cancelReply();
      await loadComments();
      message.className = "message success";
      message.textContent =
        posted.status === "approved"
          ? "Thank you, your comment is published."
          : "Thank you, your comment is waiting for a moderator.";
    } catch (error) {
      message.className = "message error";
      message.textContent = `Your comment was not posted: ${error.message}`;
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
  }

  // Lost password ---------------------------------------------------------------------------------

  async function forgotPassword(event) {
    event.preventDefault();
    const form = event.target;
    const message = byId("forgot-message");
    const login = form.elements.login.value.trim();
    if (!login) {
      message.className = "message error";
      message.textContent = "Please enter your username or email address.";
      return;
    }
    message.className = "message";
    message.textContent = "Sending…";
    try {
      const answer = await call("POST", "/auth/password/forgot", {body: {login}});
      message.className = "message success";
      message.textContent = answer.detail;
      form.reset();
    } catch (error) {
      message.className = "message error";
      message.textContent = error.message;
    }
  }

  // Start -----------------------------------------------------------------------------------------

  async function start() {
    byId("comment-form").addEventListener("submit", postComment);
    byId("cancel-reply").addEventListener("click", cancelReply);
    byId("forgot-form").addEventListener("submit", forgotPassword);
    const status = byId("status");
    try {
      article = await loadArticle();
    } catch (error) {
      status.className = "status error";
      status.textContent = `The article could not be loaded from ${config.api}: ${error.message}`;
      return;
    }
    renderArticle(article);
    status.hidden = true;
    byId("comments").hidden = false;
    try {
      await Promise.all([loadComments(), loadPolicy()]);
    } catch (error) {
      byId("comment-count").textContent = `The comments could not be loaded: ${error.message}`;
    }
  }

  start();
})();
