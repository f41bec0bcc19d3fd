import { expect } from '@open-wc/testing';
import { callFailure, registrationFailure, sipStatus } from '../../../src/phone/sip-errors.ts';
import { ErrorCode } from '../../../src/core/errors.ts';

const response = (status_code: number, reason_phrase = '') => ({ response: { status_code, reason_phrase } });

describe('sip-errors: callFailure', () => {
  it('says each SIP status in words and keeps the code', () => {
    const cases: Array<[number, string]> = [
      [404, 'there is no such number or user'],
      [480, 'the person is not available (offline or not registered)'],
      [486, 'the line is busy'],
      [603, 'the call was declined'],
      [488, 'the far end cannot take this call\'s audio'],
    ];
    for (const [status, words] of cases) {
      const error = callFailure({ cause: 'Rejected', ...response(status) }, 'dial');
      expect(error.message, String(status)).to.equal(`Call failed: ${words} (SIP ${status}).`);
      expect(error.vendorCode).to.equal(status);
      expect(error.code).to.equal(ErrorCode.Rejected);
      expect(error.operation).to.equal('dial');
    }
  });

  it('makes a timeout of 408, Request Timeout and No Answer', () => {
    expect(callFailure(response(408)).code).to.equal(ErrorCode.Timeout);
    const noAnswer = callFailure({ cause: 'No Answer', response: null });
    expect(noAnswer.code).to.equal(ErrorCode.Timeout);
    expect(noAnswer.message).to.equal('Call failed: nobody answered in time.');
    expect(noAnswer.vendorCode).to.equal('No Answer');
    expect(callFailure({ cause: 'Request Timeout' }).code).to.equal(ErrorCode.Timeout);
  });

  it('falls back to the cause without a response, and to a general sentence for an unknown status', () => {
    expect(callFailure({ cause: 'User Denied Media Access' }).message).to.equal('Call failed: the browser was not allowed to use the microphone.');
    expect(callFailure({ cause: 'Something New' }).message).to.equal('Call failed: the call failed.');
    const odd = callFailure(response(499));
    expect(odd.message).to.equal('Call failed: the far end refused the call (SIP 499).');
    expect(odd.vendorCode).to.equal(499);
  });

  it('ignores a success or provisional status as a failure code', () => {
    expect(sipStatus(response(200))).to.equal(undefined);
    expect(sipStatus(response(180))).to.equal(undefined);
    expect(sipStatus(response(302))).to.equal(302);
    expect(sipStatus({})).to.equal(undefined);
  });
});

describe('sip-errors: registrationFailure', () => {
  it('names refused credentials for 401, 403, 407 and Authentication Error', () => {
    for (const status of [401, 403, 407]) {
      const error = registrationFailure({ cause: 'Rejected', ...response(status) });
      expect(error.code).to.equal(ErrorCode.Unauthorized);
      expect(error.message).to.equal(`The SIP server refused the phone's user name or password (SIP ${status}): check the SIP credentials.`);
    }
    expect(registrationFailure({ cause: 'Authentication Error' }).message).to.equal("The SIP server refused the phone's user name or password: check the SIP credentials.");
  });

  it('says the server could not be reached on a connection error', () => {
    const error = registrationFailure({ cause: 'Connection Error' });
    expect(error.code).to.equal(ErrorCode.NotConnected);
    expect(error.message).to.equal('The phone could not reach the SIP server.');
  });

  it('keeps other refusals with their status and a short reason', () => {
    const error = registrationFailure({ cause: 'Rejected', ...response(503, 'Service Unavailable') });
    expect(error.code).to.equal(ErrorCode.Rejected);
    expect(error.message).to.equal("The SIP server refused the phone's registration (SIP 503 Service Unavailable).");
    expect(registrationFailure({ cause: 'Rejected', ...response(500, 'x'.repeat(200)) }).message.length).to.be.lessThan(120);
  });
});
