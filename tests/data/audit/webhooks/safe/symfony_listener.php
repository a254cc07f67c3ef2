<?php

namespace App\Webhook;

use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpKernel\Exception\AccessDeniedHttpException;

final class SignatureChecker
{
    public function __construct(private readonly string $secret)
    {
    }

    public function check(Request $request): array
    {
        $body = $request->getContent();
        $timestamp = $request->headers->get('X-Timestamp', '');
        $given = $request->headers->get('X-Signature', '');
        $mac = hash_hmac('sha256', $timestamp . '.' . $body, $this->secret);
        if (strlen($given) !== strlen($mac) || !hash_equals($mac, $given)) {
            throw new AccessDeniedHttpException('signature mismatch');
        }
        return json_decode($body, true, 512, JSON_THROW_ON_ERROR);
    }
}
