// Ghost's own JavaScript client, pointed at the CMS. The data is seeded by
// tests/ghost/test_node_client.py, which also starts the server and passes its URL and a key:
//   CMS_URL=http://127.0.0.1:5000 CMS_CONTENT_KEY=<26 hex> node --test
import assert from 'node:assert/strict';
import {test} from 'node:test';

import GhostContentAPI from '@tryghost/content-api';

const url = process.env.CMS_URL;
const key = process.env.CMS_CONTENT_KEY;
assert.ok(url && key, 'set CMS_URL and CMS_CONTENT_KEY');

const api = new GhostContentAPI({url, key, version: 'v5.0'});

test('browsing posts returns an array with Ghost pagination meta', async () => {
    const posts = await api.posts.browse({limit: 2, include: ['authors', 'tags']});
    assert.equal(posts.length, 2);
    assert.deepEqual(posts.meta.pagination, {page: 1, limit: 2, pages: 2, total: 3, next: 2, prev: null});
    const [newest] = posts;
    assert.equal(newest.title, 'Chinesische Firma hat vor Exportverbot Nvidia-GPUs gelagert');
    assert.equal(newest.feature_image, 'https://images.example.org/gpu.jpg');
    assert.equal(newest.feature_image_caption, 'Rechenzentrum');
    assert.equal(newest.primary_author.name, 'Lena Hoffmann');
    assert.deepEqual(newest.tags.map((tag) => tag.slug), ['ki', 'hardware']);
    assert.equal(newest.primary_tag.slug, 'ki');
    assert.match(newest.html, /<p>/);
    assert.equal(typeof newest.reading_time, 'number');
});

test('the second page holds the rest', async () => {
    const posts = await api.posts.browse({limit: 2, page: 2});
    assert.deepEqual(posts.map((post) => post.title), ['Open-Source-Werkzeuge']);
    assert.equal(posts.meta.pagination.prev, 1);
    assert.equal(posts.meta.pagination.next, null);
});

test('filter, fields and order narrow the list', async () => {
    const posts = await api.posts.browse({filter: 'tag:hardware+featured:false', fields: 'title,slug', order: 'title asc'});
    assert.deepEqual(Array.from(posts), [{title: 'Headless publishing', slug: 'headless-publishing'}]);
    const either = await api.posts.browse({filter: '(tag:open-source,author:lena-hoffmann)', order: 'published_at asc'});
    assert.deepEqual(either.map((post) => post.slug), ['open-source-werkzeuge', 'chips']);
});

test('a post read by slug and by id is the same post, returned as an object', async () => {
    const bySlug = await api.posts.read({slug: 'chips'}, {include: 'authors,tags', formats: ['html', 'plaintext']});
    assert.equal(bySlug.slug, 'chips');
    assert.ok(bySlug.plaintext.includes('Nvidia'));
    assert.equal(bySlug.authors.length, 1);
    const byId = await api.posts.read({id: bySlug.id}, {include: 'authors,tags', formats: ['html', 'plaintext']});
    assert.deepEqual(byId, bySlug);
});

test('authors and tags come with post counts', async () => {
    const authors = await api.authors.browse({include: 'count.posts'});
    assert.deepEqual(
        Object.fromEntries(authors.map((author) => [author.slug, author.count.posts])),
        {'lena-hoffmann': 1, 'sam-okafor': 2},
    );
    const author = await api.authors.read({slug: 'sam-okafor'});
    assert.equal(author.name, 'Sam Okafor');
    const tag = await api.tags.read({slug: 'hardware'}, {include: 'count.posts'});
    assert.equal(tag.name, 'Hardware');
    assert.equal(tag.count.posts, 2);
    const tags = await api.tags.browse({limit: 1, filter: 'slug:[ki,hardware]'});
    assert.equal(tags.meta.pagination.total, 2);
});

test('authors page, narrow and filter like posts do', async () => {
    const first = await api.authors.browse({limit: 1, page: 1, order: 'name asc', fields: 'name,slug', include: 'count.posts'});
    assert.deepEqual(Array.from(first), [{name: 'Lena Hoffmann', slug: 'lena-hoffmann', count: {posts: 1}}]);
    assert.deepEqual(first.meta.pagination, {page: 1, limit: 1, pages: 2, total: 2, next: 2, prev: null});
    const second = await api.authors.browse({limit: 1, page: 2, order: 'name asc', fields: 'name'});
    assert.deepEqual(Array.from(second), [{name: 'Sam Okafor'}]);
    assert.equal(second.meta.pagination.prev, 1);
    const others = await api.authors.browse({filter: 'slug:-lena-hoffmann', include: 'count.posts'});
    assert.deepEqual(others.map((author) => [author.name, author.count.posts]), [['Sam Okafor', 2]]);
    assert.equal(others[0].url, `${url}/author/sam-okafor/`);
});

test('tags page, narrow and filter like posts do', async () => {
    const filter = '(slug:-ki,name:KI)+visibility:public';
    const first = await api.tags.browse({filter, limit: 2, order: 'slug asc', fields: 'name,slug', include: 'count.posts'});
    assert.deepEqual(Array.from(first), [
        {name: 'Hardware', slug: 'hardware', count: {posts: 2}},
        {name: 'KI', slug: 'ki', count: {posts: 1}},
    ]);
    assert.deepEqual(first.meta.pagination, {page: 1, limit: 2, pages: 2, total: 3, next: 2, prev: null});
    const last = await api.tags.browse({filter, limit: 2, page: 2, order: 'slug asc', fields: 'name'});
    assert.deepEqual(Array.from(last), [{name: 'Open Source'}]);
    const byId = await api.tags.read({id: (await api.tags.read({slug: 'ki'})).id}, {fields: 'name,visibility'});
    assert.deepEqual(byId, {name: 'KI', visibility: 'public'});
});

test('a post filtered by author and tag comes with what include asks for, and only the fields asked', async () => {
    const posts = await api.posts.browse({
        filter: 'authors:sam-okafor+tags:[hardware,open-source]', include: 'authors,tags', fields: 'slug,title',
        limit: 1, page: 2, order: 'published_at desc',
    });
    assert.equal(posts.length, 1);
    const [post] = posts;
    assert.equal(post.slug, 'open-source-werkzeuge');
    assert.equal(post.html, undefined);
    assert.deepEqual(post.authors.map((author) => author.slug), ['sam-okafor']);
    assert.equal(post.primary_tag.name, 'Open Source');
    assert.deepEqual(posts.meta.pagination, {page: 2, limit: 1, pages: 2, total: 2, next: null, prev: 1});
});

test('settings are an object', async () => {
    const settings = await api.settings.browse();
    assert.equal(settings.title, 'Testing CMS');
    assert.equal(settings.url, `${url}/`);
});

test('pages are an empty list', async () => {
    const pages = await api.pages.browse();
    assert.equal(pages.length, 0);
    assert.equal(pages.meta.pagination.total, 0);
});

test('errors arrive the way Ghost sends them', async () => {
    await assert.rejects(api.posts.read({slug: 'no-such-post'}), {name: 'NotFoundError', message: 'Post not found.'});
    const stranger = new GhostContentAPI({url, key: '0123456789abcdef0123456789', version: 'v5.0'});
    await assert.rejects(stranger.posts.browse(), {name: 'UnauthorizedError', message: 'Unknown Content API Key'});
    await assert.rejects(api.posts.browse({filter: 'tag:[oops'}), {name: 'BadRequestError'});
});
