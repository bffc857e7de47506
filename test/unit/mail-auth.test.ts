import { readAuthenticationResults } from '../../lib/mail-auth';

// RFC 8601 Authentication-Results as relays write them: what counts, and the verdict.
describe('the sender of a support e-mail, as the relay found it', () => {
  test('DKIM or DMARC pass vouch for the sender; SPF pass does when nothing fails', () => {
    expect(
      readAuthenticationResults([
        'mx.ismet.kz; spf=pass smtp.mailfrom=shoes.kz; dkim=pass header.d=shoes.kz; dmarc=pass header.from=shoes.kz',
      ]),
    ).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', verdict: 'pass' });
    expect(
      readAuthenticationResults(['mx.ismet.kz; spf=softfail smtp.mailfrom=shoes.kz; dkim=pass header.d=shoes.kz'])
        .verdict,
    ).toBe('pass');
    expect(readAuthenticationResults(['mx.ismet.kz; spf=pass smtp.mailfrom=shoes.kz']).verdict).toBe('pass');
  });

  test('a forged sender: DMARC fail, or SPF fail without a DKIM pass', () => {
    expect(
      readAuthenticationResults([
        'mx.ismet.kz; spf=fail smtp.mailfrom=shoes.kz; dkim=none; dmarc=fail header.from=shoes.kz',
      ]).verdict,
    ).toBe('fail');
    expect(readAuthenticationResults(['mx.ismet.kz; spf=softfail smtp.mailfrom=shoes.kz; dkim=none']).verdict).toBe(
      'fail',
    );
    expect(readAuthenticationResults(['mx.ismet.kz; dkim=fail header.d=shoes.kz']).verdict).toBe('fail');
    expect(
      readAuthenticationResults(['mx.ismet.kz; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=shoes.kz'])
        .verdict,
    ).toBe('fail');
  });

  test('nothing known: no header, or results that say nothing', () => {
    expect(readAuthenticationResults([])).toEqual({ header: null, verdict: 'none' });
    expect(readAuthenticationResults(['mx.ismet.kz; none']).verdict).toBe('none');
    expect(readAuthenticationResults(['mx.ismet.kz; spf=neutral smtp.mailfrom=shoes.kz']).verdict).toBe('none');
  });

  test('with the relay named, only its header counts — a sender can write such a header itself', () => {
    const forgedBySender = 'evil.example; dkim=pass header.d=shoes.kz; dmarc=pass';
    const ours = 'mx.ismet.kz;\r\n\tspf=fail smtp.mailfrom=shoes.kz;\r\n\tdmarc=fail header.from=shoes.kz';
    expect(readAuthenticationResults([forgedBySender, ours], 'MX.ismet.kz')).toMatchObject({
      verdict: 'fail',
      spf: 'fail',
      dmarc: 'fail',
    });
    expect(readAuthenticationResults([forgedBySender], 'mx.ismet.kz')).toEqual({ header: null, verdict: 'none' });
    // Without the relay named, the topmost header is read.
    expect(readAuthenticationResults([forgedBySender, ours]).verdict).toBe('pass');
  });
});
