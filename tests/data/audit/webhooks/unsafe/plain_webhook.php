<?php
$payload = file_get_contents('php://input');
$secret = getenv('HOOK_SECRET');
$signature = $_SERVER['HTTP_X_SIGNATURE'] ?? '';

if (hash_hmac('sha256', $payload, $secret) != $signature) {
    header('HTTP/1.1 403 Forbidden');
    echo 'bad signature';
    exit;
}

$data = json_decode($payload, true);
save_event($data);
echo 'ok';
