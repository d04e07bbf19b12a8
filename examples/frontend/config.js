// Where the example page finds the CMS. Each value can be overridden in the page's address:
//   index.html?api=https://cms.example.org/api/v1&article=my-slug&credentials=omit
window.CMS_EXAMPLE = {
  // The CMS's JSON API.
  api: "http://127.0.0.1:5000/api/v1",
  // The slug of the article to show; empty shows the newest one.
  article: "",
  // A content key, only if the CMS sets CMS_CONTENT_API_KEYS; anyone can read it in this file.
  key: "",
  // "include" sends the CMS's cookies, so a visitor's votes are remembered (one vote each, which can
  // be taken back) and a signed-in reader comments under their account. Browsers allow that only when
  // CMS_CORS_ORIGINS names this page's origin, as `make example` does; with the CMS's default "*",
  // "omit" is what works. "auto" tries "include" once and falls back to "omit".
  credentials: "auto",
};
