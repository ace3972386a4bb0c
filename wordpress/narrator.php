<?php
/**
 * Plugin Name: narrator publishing support
 * Description: What `narrate publish wordpress` needs from a site: narrator's post meta
 *   (and the SEO plugins' title and description keys) readable and writable through the REST
 *   API, a compact listing of the site's posts, term counting deferred during narrator's batch
 *   requests, each post narrator writes as one database transaction, and old slugs kept as
 *   redirects. Install: copy this file into
 *   wp-content/mu-plugins/ (must-use plugins load without activation).
 * Version: 1
 * License: MIT
 */

defined('ABSPATH') || exit;

const NARRATOR_PLUGIN_VERSION = 3;

/* Meta narrator writes. Unregistered meta is dropped silently by the REST API (with a 201), so
 * every key is registered here, with show_in_rest, for users who can edit posts. */
function narrator_meta_keys(): array {
    return [
        'narrator_id',            // the article's id in the rendered tree (index.jsonl "id")
        'narrator_key',           // the hash of the article's inputs (index.jsonl "key")
        'narrator_hash',          // the hash of what was published: a re-sync compares it
        'narrator_aliases',       // earlier ids, comma-separated: kept as old slugs (redirects)
        'narrator_seo_title',     // narrator's own copy of the SEO title ...
        'narrator_description',   // ... and of the meta description
        '_yoast_wpseo_title', '_yoast_wpseo_metadesc',   // Yoast SEO
        'rank_math_title', 'rank_math_description',      // Rank Math
    ];
}

add_action('init', function () {
    $can_edit = function ($allowed, $key, $post_id) { return current_user_can('edit_post', $post_id); };
    foreach (narrator_meta_keys() as $key) {
        register_post_meta('post', $key, [
            'type' => 'string', 'single' => true, 'show_in_rest' => true,
            'auth_callback' => $can_edit,
        ]);
    }
});

function narrator_is_batch(): bool {
    return isset($_SERVER['HTTP_X_NARRATOR']);   // narrator sends this header on every request
}

add_action('rest_api_init', function () {
    if (narrator_is_batch()) {
        // A client that goes away (killed, timed out) must not cut a batch in half: finish it.
        ignore_user_abort(true);
        // Term counts are recounted once at the end of the request, not once per post.
        wp_defer_term_counting(true);
        add_action('shutdown', function () { wp_defer_term_counting(false); }, 0);
    }
    register_rest_route('narrator/v1', '/posts', [
        'methods' => 'GET',
        'permission_callback' => function () { return current_user_can('edit_posts'); },
        'callback' => 'narrator_list_posts',
    ]);
    // The inputs' key of a post whose content is unchanged: the meta field alone, so the post
    // is not rewritten (its modified date stays the date its content last changed).
    register_rest_route('narrator/v1', '/posts/(?P<id>\\d+)/key', [
        'methods' => 'POST',
        'allow_batch' => ['v1' => true],
        'args' => ['key' => ['type' => 'string', 'required' => true, 'maxLength' => 64]],
        'permission_callback' => function (WP_REST_Request $request) {
            return current_user_can('edit_post', (int) $request['id']);
        },
        'callback' => 'narrator_set_key',
    ]);
});

function narrator_set_key(WP_REST_Request $request) {
    $post = get_post((int) $request['id']);
    if (!$post || $post->post_type !== 'post') {
        return new WP_Error('narrator_no_post', 'no such post', ['status' => 404]);
    }
    update_post_meta($post->ID, 'narrator_key', $request['key']);
    return ['id' => $post->ID, 'slug' => $post->post_name, 'status' => $post->post_status];
}

/* Each write narrator makes (a post created, updated or trashed; a key refreshed) is one
 * database transaction: the post row, narrator's meta, the post's terms and its old slugs are
 * all there or none is. A write that fails is rolled back; one cut short (PHP killed, the
 * database gone) is never committed, and InnoDB rolls it back. So a post that carries
 * narrator_hash is whole, and a post without it is rewritten by the next sync. (Term counts
 * are recounted after the request, outside the transaction: a killed request can leave a
 * category's count stale until its next change.) */
$GLOBALS['narrator_transaction'] = false;

function narrator_writes(WP_REST_Request $request): bool {
    return narrator_is_batch() && $request->get_method() !== 'GET'
        && preg_match('#^/(wp/v2/posts|narrator/v1/posts/\d+/key)(/|$)#', $request->get_route());
}

add_filter('rest_request_before_callbacks', function ($response, $handler, $request) {
    global $wpdb;
    if (narrator_writes($request) && !$GLOBALS['narrator_transaction']) {
        $wpdb->query('START TRANSACTION');
        $GLOBALS['narrator_transaction'] = true;
    }
    return $response;
}, 10, 3);

add_filter('rest_request_after_callbacks', function ($response, $handler, $request) {
    global $wpdb;
    if (!$GLOBALS['narrator_transaction'] || !narrator_writes($request)) {
        return $response;
    }
    $GLOBALS['narrator_transaction'] = false;
    $failed = is_wp_error($response)
        || ($response instanceof WP_HTTP_Response && $response->get_status() >= 400);
    if ($failed) {
        $wpdb->query('ROLLBACK');
        wp_cache_flush();  // what this request cached of the rolled-back rows is gone too
    } else {
        $wpdb->query('COMMIT');
    }
    return $response;
}, 10, 3);

/* Whether PHP saw credentials at all: narrator tells "wrong password" apart from "the server
 * stripped the Authorization header" (Apache + CGI/FastCGI does unless told not to). */
add_filter('rest_post_dispatch', function ($response) {
    if (narrator_is_batch() && $response instanceof WP_REST_Response) {
        $seen = isset($_SERVER['PHP_AUTH_USER']) || !empty($_SERVER['HTTP_AUTHORIZATION'])
            || !empty($_SERVER['REDIRECT_HTTP_AUTHORIZATION']);
        $response->header('X-Narrator-Auth', $seen ? 'received' : 'missing');
    }
    return $response;
});

/* narrator's meta in one statement. Through the REST meta handler each of the ten keys costs
 * three queries and a cache reload (13 of 23 ms a post, measured); narrator's requests hand
 * their meta to this filter instead, which writes it with the post: narrator_id through
 * wp_insert_post's meta_input, the rest in one DELETE and one multi-row INSERT right after,
 * all in the request's transaction (above). */
add_filter('rest_pre_insert_post', function ($post, $request) {
    $meta = $request->get_param('meta');
    if (!narrator_is_batch() || !is_array($meta) || !is_string($meta['narrator_id'] ?? null)) {
        return $post;
    }
    $keep = array_intersect_key($meta, array_flip(narrator_meta_keys()));
    $keep = array_filter($keep, 'is_string');
    $request->offsetUnset('meta');
    $request->set_param('narrator_meta', $keep);
    $post->meta_input = ['narrator_id' => $keep['narrator_id']];
    return $post;
}, 10, 2);

add_action('rest_insert_post', function ($post, $request) {
    $meta = $request->get_param('narrator_meta');
    if (!is_array($meta) || !$meta) {
        return;
    }
    global $wpdb;
    $keys = array_keys($meta);
    $in = implode(',', array_fill(0, count($keys), '%s'));
    $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key IN ($in)",
                                $post->ID, ...$keys));
    $rows = [];
    $args = [];
    foreach ($meta as $key => $value) {
        $rows[] = '(%d, %s, %s)';
        array_push($args, $post->ID, $key, $value);
    }
    $wpdb->query($wpdb->prepare("INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) VALUES "
                                . implode(',', $rows), ...$args));
    wp_cache_delete($post->ID, 'post_meta');
    if (isset($meta['narrator_aliases'])) {
        narrator_alias_slugs(0, $post->ID, 'narrator_aliases', $meta['narrator_aliases']);
    }
}, 10, 2);

/* Every post of the site in one response: id, slug (the wanted slug for a trashed post),
 * status and narrator's marks. One query instead of pages of full posts. */
function narrator_list_posts(WP_REST_Request $request) {
    global $wpdb;
    $rows = $wpdb->get_results($wpdb->prepare(
        "SELECT p.ID AS id, p.post_name AS slug, p.post_status AS status,
                MAX(CASE WHEN m.meta_key = 'narrator_id' THEN m.meta_value END) AS narrator_id,
                MAX(CASE WHEN m.meta_key = 'narrator_hash' THEN m.meta_value END) AS narrator_hash,
                MAX(CASE WHEN m.meta_key = 'narrator_key' THEN m.meta_value END) AS narrator_key,
                MAX(CASE WHEN m.meta_key = '_wp_desired_post_slug' THEN m.meta_value END) AS desired
           FROM {$wpdb->posts} p
           LEFT JOIN {$wpdb->postmeta} m ON m.post_id = p.ID
                AND m.meta_key IN ('narrator_id', 'narrator_hash', 'narrator_key',
                                   '_wp_desired_post_slug')
          WHERE p.post_type = %s AND p.post_status NOT IN ('auto-draft', 'inherit')
          GROUP BY p.ID ORDER BY p.ID", 'post'), ARRAY_A);
    $posts = [];
    foreach ($rows as $r) {
        $trashed = $r['status'] === 'trash';
        $posts[] = [
            'id' => (int) $r['id'],
            'slug' => $trashed && $r['desired'] ? $r['desired'] : $r['slug'],
            'status' => $r['status'],
            'narrator_id' => $r['narrator_id'],
            'narrator_hash' => $r['narrator_hash'],
            'narrator_key' => $r['narrator_key'],
        ];
    }
    return ['plugin' => NARRATOR_PLUGIN_VERSION, 'posts' => $posts];
}

/* Revisions of generated posts only grow the database: the rendered tree is the history. */
add_filter('wp_revisions_to_keep', function ($num, $post) {
    return get_post_meta($post->ID, 'narrator_id', true) ? 0 : $num;
}, 10, 2);

/* Earlier ids of an article become old slugs of its post: WordPress itself then redirects
 * them (wp_old_slug_redirect), as it does when an editor changes a slug. */
add_action('updated_post_meta', 'narrator_alias_slugs', 10, 4);
add_action('added_post_meta', 'narrator_alias_slugs', 10, 4);
function narrator_alias_slugs($meta_id, $post_id, $key, $value) {
    if ($key !== 'narrator_aliases') {
        return;
    }
    $old = get_post_meta($post_id, '_wp_old_slug');
    foreach (array_filter(explode(',', (string) $value)) as $slug) {
        $slug = sanitize_title($slug);
        if ($slug !== '' && !in_array($slug, $old, true)) {
            add_post_meta($post_id, '_wp_old_slug', $slug);
        }
    }
}
