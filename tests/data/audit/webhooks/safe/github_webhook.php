<?php
declare(strict_types=1);

$secret = getenv('GITHUB_WEBHOOK_SECRET');
$payload = file_get_contents('php://input');
$header = $_SERVER['HTTP_X_HUB_SIGNATURE_256'] ?? '';

$expected = 'sha256=' . hash_hmac('sha256', $payload, $secret);
if (!hash_equals($expected, $header)) {
    http_response_code(401);
    exit('invalid signature');
}

$event = json_decode($payload, true);
if (($event['action'] ?? '') === 'published') {
    file_put_contents('/var/log/releases.log', $event['release']['tag_name'] . PHP_EOL, FILE_APPEND);
}
http_response_code(204);
