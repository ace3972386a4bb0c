<?php
/**
 * Test-only must-use plugin (tests/publish/test_publish_wordpress.py copies it into the test
 * site and removes it): cuts narrator's nth post write short at a chosen point, by killing the
 * PHP worker that makes it or the database under it. Armed by wp-content/narrator-fault.json:
 * {"point": "post" | "meta" | "terms", "nth": N, "kill": "php" | "db", "db_pid": PIDFILE}.
 *   post   after the post row and narrator_id (wp_insert_post), before narrator's other meta
 *   meta   after narrator's meta (rest_insert_post), before the post's terms
 *   terms  after a taxonomy's terms are set, before the response
 * It fires once: the file is removed when it does.
 */

defined('ABSPATH') || exit;

function narrator_fault(string $point): void {
    $file = WP_CONTENT_DIR . '/narrator-fault.json';
    $fault = is_file($file) ? json_decode((string) file_get_contents($file), true) : null;
    if (!is_array($fault) || $fault['point'] !== $point || !isset($_SERVER['HTTP_X_NARRATOR'])) {
        return;
    }
    $count = WP_CONTENT_DIR . '/narrator-fault.count';
    $n = (int) @file_get_contents($count) + 1;
    file_put_contents($count, (string) $n);
    if ($n !== (int) $fault['nth']) {
        return;
    }
    unlink($file);
    file_put_contents(WP_CONTENT_DIR . '/narrator-fault.fired', $point);
    if ($fault['kill'] === 'db') {
        posix_kill((int) trim((string) file_get_contents($fault['db_pid'])), SIGKILL);
        usleep(300000);  // the server is gone before the request goes on
    } else {
        posix_kill(getmypid(), SIGKILL);
    }
}

add_action('wp_insert_post', function () { narrator_fault('post'); }, 1000);
add_action('rest_insert_post', function () { narrator_fault('meta'); }, 1000);
add_action('set_object_terms', function () { narrator_fault('terms'); }, 1000);
