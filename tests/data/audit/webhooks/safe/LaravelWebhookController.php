<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Http\Response;

class LaravelWebhookController extends Controller
{
    public function __invoke(Request $request): Response
    {
        $signature = (string) $request->header('X-Shop-Hmac-Sha256');
        $calculated = base64_encode(hash_hmac('sha256', $request->getContent(), config('services.shop.webhook_secret'), true));

        if ($signature === '' || !hash_equals($calculated, $signature)) {
            abort(401, 'Invalid webhook signature');
        }

        dispatch(new \App\Jobs\SyncOrder($request->json()->all()));

        return response()->noContent();
    }
}
