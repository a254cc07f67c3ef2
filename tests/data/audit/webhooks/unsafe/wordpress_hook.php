<?php
/**
 * Plugin Name: Order Hook Receiver
 */

add_action('rest_api_init', function () {
    register_rest_route('orders/v1', '/hook', [
        'methods' => 'POST',
        'permission_callback' => '__return_true',
        'callback' => function (WP_REST_Request $request) {
            $body = $request->get_body();
            $hmac = base64_encode(hash_hmac('sha256', $body, get_option('order_hook_secret'), true));
            if ($hmac === $request->get_header('x_order_hmac_sha256')) {
                do_action('order_hook_received', json_decode($body, true));
                return new WP_REST_Response(['ok' => true], 200);
            }
            return new WP_Error('forbidden', 'Invalid HMAC', ['status' => 403]);
        },
    ]);
});
