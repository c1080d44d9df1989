#!/usr/bin/env python3
"""Drive a Barbican Orders API server with the real python-barbicanclient.

Requires: python-barbicanclient==7.6.0 (current on PyPI when written;
tested against the real Barbican 21.0.0 in no-auth mode).

    python3 -m venv /tmp/bc-venv
    /tmp/bc-venv/bin/pip install python-barbicanclient==7.6.0
    /tmp/bc-venv/bin/python ci/barbican_client_check.py \
        --endpoint http://127.0.0.1:9311 [--project ID]

Every step prints one line ("ok   ..." or "FAIL ..."); the last line is
"N passed, M failed".  The exit status is non-zero if any step failed.
Each run uses a fresh project id (unless --project is given), so it works
against a server that already holds data.
"""

import argparse
import logging
import sys
import traceback
import uuid

from barbicanclient import client as bclient
from barbicanclient import exceptions as bexc

PASSED = 0
FAILED = 0


class CheckFailed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise CheckFailed(what)


def eq(actual, expected, what):
    if actual != expected:
        raise CheckFailed('%s: expected %r, got %r' % (what, expected, actual))


def step(name):
    """Decorator-ish runner: runs fn, prints a line, counts the result."""
    def run(fn):
        global PASSED, FAILED
        try:
            detail = fn()
        except Exception as e:  # noqa: BLE001 - report every failure
            FAILED += 1
            if isinstance(e, CheckFailed):
                msg = str(e)
            else:
                msg = '%s: %s' % (type(e).__name__, e)
                traceback.print_exc(file=sys.stderr)
            print('FAIL %s -- %s' % (name, msg), flush=True)
            return None
        PASSED += 1
        print('ok   %s%s' % (name, (' -- %s' % detail) if detail else ''),
              flush=True)
        return detail
    return run


def expect_client_error(fn, status, message):
    try:
        fn()
    except bexc.HTTPClientError as e:
        eq(e.status_code, status, 'HTTPClientError.status_code')
        eq(str(e), message, 'HTTPClientError text')
        return
    raise CheckFailed('expected HTTPClientError %d %r, got no exception'
                      % (status, message))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--endpoint', required=True,
                    help='server root URL, e.g. http://127.0.0.1:9311')
    ap.add_argument('--project', default=None,
                    help='project id; must hold no orders yet '
                         '(default: a fresh unique one per run)')
    args = ap.parse_args()
    # the client logs every 4xx it raises; the expected ones are noise here
    logging.getLogger('barbicanclient').setLevel(logging.CRITICAL)
    project = args.project or 'bc-check-' + uuid.uuid4().hex
    st = {}  # state shared between steps

    # -- construction (version discovery: GET / with key-manager 1.1) -----
    @step('Client(endpoint, project_id) with version discovery')
    def _():
        st['c'] = bclient.Client(endpoint=args.endpoint, project_id=project)
        return 'project %s' % project

    if 'c' not in st:
        print('%d passed, %d failed' % (PASSED, FAILED))
        return 1
    c = st['c']

    # -- create orders -------------------------------------------------------
    @step('create_key(aes/256/cbc, application/octet-stream).submit()')
    def _():
        ref = c.orders.create_key(
            name='bc-key', algorithm='aes', bit_length=256, mode='cbc',
            payload_content_type='application/octet-stream').submit()
        check(isinstance(ref, str) and '/v1/orders/' in ref,
              'order_ref looks wrong: %r' % (ref,))
        uuid.UUID(ref.rstrip('/').rsplit('/', 1)[1])
        st['key_ref'] = ref
        return ref

    @step('create_asymmetric(rsa/2048).submit()')
    def _():
        ref = c.orders.create_asymmetric(
            name='bc-rsa', algorithm='rsa', bit_length=2048).submit()
        check(isinstance(ref, str) and '/v1/orders/' in ref,
              'order_ref looks wrong: %r' % (ref,))
        st['asym_ref'] = ref
        return ref

    # -- get orders ----------------------------------------------------------
    @step('orders.get(key order): KeyOrder, ACTIVE, secret_ref')
    def _():
        o = c.orders.get(st['key_ref'])
        eq(type(o).__name__, 'KeyOrder', 'order class')
        eq(o.status, 'ACTIVE', 'status')
        eq(o.order_ref, st['key_ref'], 'order_ref')
        eq(o.name, 'bc-key', 'name')
        eq(o.algorithm, 'aes', 'algorithm')
        eq(o.bit_length, 256, 'bit_length')
        eq(o.mode, 'cbc', 'mode')
        eq(o.payload_content_type, 'application/octet-stream',
           'payload_content_type')
        check(o.secret_ref and '/v1/secrets/' in o.secret_ref,
              'secret_ref not set: %r' % (o.secret_ref,))
        check(o.created is not None and o.updated is not None,
              'created/updated missing')
        eq(o.error_status_code, None, 'error_status_code')
        st['secret_ref'] = o.secret_ref
        return o.secret_ref

    @step('orders.get(asymmetric order): AsymmetricOrder, ACTIVE, '
          'container_ref')
    def _():
        o = c.orders.get(st['asym_ref'])
        eq(type(o).__name__, 'AsymmetricOrder', 'order class')
        eq(o.status, 'ACTIVE', 'status')
        eq(o.order_ref, st['asym_ref'], 'order_ref')
        eq(o.algorithm, 'rsa', 'algorithm')
        eq(o.bit_length, 2048, 'bit_length')
        check(o.container_ref and '/v1/containers/' in o.container_ref,
              'container_ref not set: %r' % (o.container_ref,))
        st['container_ref'] = o.container_ref
        return o.container_ref

    # -- secret and payload --------------------------------------------------
    @step('secrets.get(secret_ref): metadata of the generated key')
    def _():
        s = c.secrets.get(st['secret_ref'])
        eq(s.secret_ref, st['secret_ref'], 'secret_ref')
        eq(s.name, 'bc-key', 'name')
        eq(s.status, 'ACTIVE', 'status')
        eq(s.secret_type, 'symmetric', 'secret_type')
        eq(s.algorithm, 'aes', 'algorithm')
        eq(s.bit_length, 256, 'bit_length')
        eq(s.mode, 'cbc', 'mode')
        eq(s.content_types, {'default': 'application/octet-stream'},
           'content_types')
        st['secret'] = s

    @step('secret.payload: 32 random bytes')
    def _():
        p = st['secret'].payload
        check(isinstance(p, bytes), 'payload is %r, not bytes' % type(p))
        eq(len(p), 32, 'payload length')
        return '%d bytes' % len(p)

    @step('containers.get(container_ref): rsa container, 2 secret refs')
    def _():
        ct = c.containers.get(st['container_ref'])
        eq(type(ct).__name__, 'RSAContainer', 'container class')
        eq(ct.container_ref, st['container_ref'], 'container_ref')
        eq(ct.name, 'bc-rsa', 'name')
        eq(ct.status, 'ACTIVE', 'status')
        eq(sorted(ct.secret_refs), ['private_key', 'public_key'],
           'secret_refs names')
        st['container'] = ct

    @step('container private_key payload is a PKCS#8 PEM')
    def _():
        k = st['container'].private_key
        eq(k.secret_type, 'private', 'secret_type')
        eq(k.algorithm, 'rsa', 'algorithm')
        eq(k.bit_length, 2048, 'bit_length')
        p = k.payload
        check(isinstance(p, bytes), 'payload is %r, not bytes' % type(p))
        check(p.startswith(b'-----BEGIN PRIVATE KEY-----\n'),
              'payload starts %r' % p[:40])
        check(p.endswith(b'-----END PRIVATE KEY-----\n'),
              'payload ends %r' % p[-40:])
        return '%d bytes' % len(p)

    @step('container public_key payload is a SubjectPublicKeyInfo PEM')
    def _():
        k = st['container'].public_key
        eq(k.secret_type, 'public', 'secret_type')
        p = k.payload
        check(isinstance(p, bytes), 'payload is %r, not bytes' % type(p))
        check(p.startswith(b'-----BEGIN PUBLIC KEY-----\n'),
              'payload starts %r' % p[:40])
        check(p.endswith(b'-----END PUBLIC KEY-----\n'),
              'payload ends %r' % p[-40:])
        eq(st['container'].private_key_passphrase, None,
           'private_key_passphrase')
        return '%d bytes' % len(p)

    # -- listing and paging ----------------------------------------------------
    @step('create 3 more key orders (5 in the project)')
    def _():
        st['more'] = [
            c.orders.create_key(name='bc-page-%d' % i, algorithm='aes',
                                bit_length=128).submit()
            for i in range(3)]

    @step('orders.total() == 5')
    def _():
        eq(c.orders.total(), 5, 'total')

    @step('orders.list(limit=2, offset=0) and (limit=2, offset=2) '
          'are different pages')
    def _():
        p0 = c.orders.list(limit=2, offset=0)
        p2 = c.orders.list(limit=2, offset=2)
        p4 = c.orders.list(limit=2, offset=4)
        r0 = [o.order_ref for o in p0]
        r2 = [o.order_ref for o in p2]
        r4 = [o.order_ref for o in p4]
        eq(len(r0), 2, 'page offset=0 size')
        eq(len(r2), 2, 'page offset=2 size')
        eq(len(r4), 1, 'page offset=4 size')
        check(not set(r0) & set(r2), 'pages overlap: %r %r' % (r0, r2))
        expected = [st['key_ref'], st['asym_ref']] + st['more']
        # created_at ascending: oldest first
        eq(r0 + r2 + r4, expected, 'orders in creation order')
        eq([type(o).__name__ for o in p0], ['KeyOrder', 'AsymmetricOrder'],
           'classes on page 0')

    @step('orders.list() default page holds all 5')
    def _():
        eq(len(c.orders.list()), 5, 'default list size')

    # -- delete ----------------------------------------------------------------
    @step('orders.delete(key order)')
    def _():
        c.orders.delete(st['key_ref'])

    @step('orders.get(deleted) -> HTTPClientError 404 '
          '"Not Found: Order not found."')
    def _():
        expect_client_error(lambda: c.orders.get(st['key_ref']), 404,
                            'Not Found: Order not found.')

    @step('orders.delete(deleted) -> HTTPClientError 404')
    def _():
        expect_client_error(lambda: c.orders.delete(st['key_ref']), 404,
                            'Not Found: Order not found.')

    @step('orders.total() == 4 after delete')
    def _():
        eq(c.orders.total(), 4, 'total')

    @step('secret of the deleted order is still readable')
    def _():
        s = c.secrets.get(st['secret_ref'])
        eq(s.status, 'ACTIVE', 'status')
        eq(len(s.payload), 32, 'payload length')

    @step('orders.get(unknown uuid) -> HTTPClientError 404')
    def _():
        expect_client_error(lambda: c.orders.get(str(uuid.uuid4())), 404,
                            'Not Found: Order not found.')

    # -- validation errors -------------------------------------------------------
    @step('create_key(bit_length=129) -> HTTPClientError 400 '
          '"Bad Request: Provided field value is not supported"')
    def _():
        expect_client_error(
            lambda: c.orders.create_key(name='bad', algorithm='aes',
                                        bit_length=129).submit(),
            400, 'Bad Request: Provided field value is not supported')

    @step('create_key(no algorithm) -> HTTPClientError 400')
    def _():
        expect_client_error(
            lambda: c.orders.create_key(name='bad', bit_length=256).submit(),
            400,
            "Bad Request: Provided object does not match schema 'Order': "
            "'algorithm' is required field for key type order. "
            "Invalid property: 'meta'")

    @step('create_asymmetric(no bit_length) -> HTTPClientError 400')
    def _():
        expect_client_error(
            lambda: c.orders.create_asymmetric(name='bad',
                                               algorithm='rsa').submit(),
            400,
            "Bad Request: Provided object does not match schema 'Order': "
            "'bit_length' is required field for asymmetric key type order. "
            "Invalid property: 'meta'")

    @step('validation failures created no orders (total still 4)')
    def _():
        eq(c.orders.total(), 4, 'total')

    # -- processing failures -------------------------------------------------------
    @step('create_key(aes/1024) -> 202, then ERROR with '
          'error_status_code "500"')
    def _():
        ref = c.orders.create_key(name='too-long', algorithm='aes',
                                  bit_length=1024).submit()
        o = c.orders.get(ref)
        eq(type(o).__name__, 'KeyOrder', 'order class')
        eq(o.status, 'ERROR', 'status')
        eq(o.error_status_code, '500', 'error_status_code')
        eq(o.error_reason, 'Process TypeOrder failure seen - please '
           'contact site administrator.', 'error_reason')
        eq(o.secret_ref, None, 'secret_ref')
        return o.error_reason

    @step('create_key(algorithm=rsa) -> ERROR with error_status_code "400"')
    def _():
        ref = c.orders.create_key(name='wrong-kind', algorithm='rsa',
                                  bit_length=256).submit()
        o = c.orders.get(ref)
        eq(o.status, 'ERROR', 'status')
        eq(o.error_status_code, '400', 'error_status_code')
        eq(o.error_reason, 'Process TypeOrder issue seen - Requested '
           'algorithm is not supported.', 'error_reason')

    @step('create_asymmetric(rsa/3072) -> ERROR with error_status_code '
          '"500"')
    def _():
        ref = c.orders.create_asymmetric(name='rsa3072', algorithm='rsa',
                                         bit_length=3072).submit()
        o = c.orders.get(ref)
        eq(type(o).__name__, 'AsymmetricOrder', 'order class')
        eq(o.status, 'ERROR', 'status')
        eq(o.error_status_code, '500', 'error_status_code')
        eq(o.container_ref, None, 'container_ref')

    @step('failed orders are listed: total() == 7')
    def _():
        eq(c.orders.total(), 7, 'total')

    print('%d passed, %d failed' % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == '__main__':
    sys.exit(main())
