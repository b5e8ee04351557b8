#!/usr/bin/env python3
"""Runs every test case of a mock config on moto's Step Functions interpreter and on ours, and compares them.

For each case both sides run statemachine/migration.asl.json with the same placeholders, the same mocked responses
and the same input (the mock config's inputs file): status, path (the states entered, in order), output, and error
and cause must be equal. Exit 0 only when every case agrees (1 when one differs or the comparison cannot run).

Three defects of moto 5.2.1's interpreter are worked around here, never in the definition:
- it keeps the States Language escapes \\' \\{ \\} \\\\ inside intrinsic-function string literals;
- a second execution of one state machine can fail while deep-copying a lock, so every case gets a state machine
  of its own and the backend's copy is never made;
- a Fail state whose ErrorPath names a States.* error (a caught States.DataLimitExceeded rethrown) fails with
  States.Runtime (ValueError) instead of that error;
- a mocked Throw of a States.* error (States.Timeout: a callback task nobody answered) is refused as a custom error
  name, so a States.Timeout catcher never sees it.
Retry intervals are not slept on either side (ours: workflow run --skip-delays).
"""
import argparse
import concurrent.futures
import datetime
import functools
import json
import logging
import re
import subprocess
import sys

REGION, ACCOUNT = "us-east-1", "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/local-executor"


def load_moto():
    try:
        from moto.stepfunctions.parser.api import StateMachineType
        from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
        from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
        from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
        from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils
        from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
        from moto.stepfunctions.parser.asl.component.state.fail import state_fail
        from moto.stepfunctions.parser.asl.eval.evaluation_details import (
            AWSExecutionDetails, EvaluationDetails, ExecutionDetails, StateMachineDetails)
        from moto.stepfunctions.parser.asl.eval.program_state import ProgramEnded, ProgramError
        from moto.stepfunctions.parser.asl.parse.intrinsic.preprocessor import Preprocessor
        from moto.stepfunctions.parser.asl.utils import json_path
        from moto.stepfunctions.parser.backend.execution_worker import SyncExecutionWorker
        from moto.stepfunctions.parser.backend.execution_worker_comm import ExecutionWorkerCommunication
        from moto.stepfunctions.parser.mocking.mock_config import (
            MockedResponseReturn, MockedResponseThrow, MockTestCase, StateMockedResponses)
    except ImportError as e:
        sys.exit(f"error: moto's Step Functions interpreter (moto[server]==5.2.1) cannot be imported: {e}")

    def text_of_str(parse_tree):
        # moto hands an intrinsic its literal as JSON text and undoes one level of escapes; a literal has two: JSON's,
        # then the States Language's (\' \{ \} \\), which moto 5.2.1 leaves in the value.
        decoded = json.loads('"' + parse_tree.getText()[1:-1] + '"')
        return re.sub(r"\\(['{}\\])", lambda m: m.group(1), decoded)

    Preprocessor._text_of_str = staticmethod(text_of_str)

    class RethrownErrorName(ErrorName):
        """A Fail state that rethrows a caught States.* error (ErrorPath) keeps its name; moto 5.2.1 raises ValueError instead."""

    state_fail.CustomErrorName = RethrownErrorName

    def mocked_error_name(name):
        """A mocked Throw names the error the task fails with; a States.* name is that States error, as Retry and Catch see it."""
        return StatesErrorName.from_name(name) if name and name.startswith("States.") else CustomErrorName(name)

    mock_eval_utils.CustomErrorName = mocked_error_name

    class NoSleep:
        @staticmethod
        def sleep(_seconds):
            pass

    retrier_decl.time = NoSleep
    # jsonpath_ng builds its parser tables on every parse (60 ms each); a path's parse is the same every time.
    json_path.parse = functools.lru_cache(maxsize=None)(json_path.parse)

    class Ended(ExecutionWorkerCommunication):
        def terminated(self):
            pass

    return dict(StateMachineType=StateMachineType, AWSExecutionDetails=AWSExecutionDetails, EvaluationDetails=EvaluationDetails,
                ExecutionDetails=ExecutionDetails, StateMachineDetails=StateMachineDetails, ProgramEnded=ProgramEnded,
                ProgramError=ProgramError, SyncExecutionWorker=SyncExecutionWorker, Ended=Ended,
                MockedResponseReturn=MockedResponseReturn, MockedResponseThrow=MockedResponseThrow, MockTestCase=MockTestCase,
                StateMockedResponses=StateMockedResponses)


def substitute(definition, environment, require_approval):
    """The placeholders as our executor fills them (WorkflowDefinition.Substitutions): a function ARN each, the environment,
    and the approval policy (workflow run --require-approval; its default timeout)."""
    def value(match):
        name = match.group(1)
        if name == "Environment":
            return environment
        if name == "RequireApproval":
            return "true" if require_approval else "false"
        if name == "ApprovalTimeoutSeconds":
            return "86400"
        if name.endswith("FunctionArn"):
            return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:knowitall-{environment}-{name[:-len('FunctionArn')]}"
        sys.exit(f"error: the definition has a placeholder this harness does not know: ${{{name}}}")
    return re.sub(r"\$\{([A-Za-z0-9_]+)\}", value, definition)


def moto_test_case(m, config, machine, case):
    responses = []
    for state, response_name in config["StateMachines"][machine]["TestCases"][case].items():
        mocked = []
        for attempts, response in config["MockedResponses"][response_name].items():
            first, _, last = attempts.partition("-")
            first, last = int(first), int(last or first)
            if "Return" in response:
                mocked.append(m["MockedResponseReturn"](first, last, response["Return"]))
            else:
                mocked.append(m["MockedResponseThrow"](first, last, response["Throw"]["Error"], response["Throw"].get("Cause", "")))
        responses.append(m["StateMockedResponses"](state, response_name, mocked))
    return m["MockTestCase"](machine, case, responses)


def run_moto(m, definition, config, machine, case, execution_input):
    name = f"parity-{case}"
    machine_arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{machine}"
    start = datetime.datetime.now(tz=datetime.timezone.utc)
    worker = m["SyncExecutionWorker"](
        evaluation_details=m["EvaluationDetails"](
            aws_execution_details=m["AWSExecutionDetails"](account=ACCOUNT, region=REGION, role_arn=ROLE),
            execution_details=m["ExecutionDetails"](arn=f"arn:aws:states:{REGION}:{ACCOUNT}:execution:{machine}:{name}", name=name,
                                                    role_arn=ROLE, inpt=execution_input, start_time=start),
            state_machine_details=m["StateMachineDetails"](arn=machine_arn, name=machine, typ=m["StateMachineType"].STANDARD,
                                                           definition=definition)),
        exec_comm=m["Ended"](), cloud_watch_logging_session=None, activity_store={},
        mock_test_case=moto_test_case(m, config, machine, case))
    worker.start()
    state = worker.env.program_state()
    events = worker.env.event_manager.get_event_history()
    path = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
    if isinstance(state, m["ProgramEnded"]):
        return dict(status="SUCCEEDED", path=path, output=worker.env.states.get_input(), error=None, cause=None)
    if isinstance(state, m["ProgramError"]):
        return dict(status="FAILED", path=path, output=None, error=state.error.get("error"), cause=state.error.get("cause"))
    return dict(status=type(state).__name__, path=path, output=None, error=None, cause=None)


def run_ours(command, environment, require_approval, mock_config, case, execution_input):
    args = command + ["workflow", "run", "--mock-config", mock_config, "--test-case", case, "--input", json.dumps(execution_input),
                      "--environment", environment, "--skip-delays", "--json"] + (["--require-approval"] if require_approval else [])
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        return dict(status=f"no JSON from {' '.join(args[:3])} (exit {done.returncode}): {done.stderr.strip()[-500:]}", path=[], output=None,
                    error=None, cause=None)
    path = [e["state"] for e in result["history"] if e["type"].endswith("StateEntered")]
    output = result["output"] if result["status"] == "SUCCEEDED" else None
    return dict(status=result["status"], path=path, output=output, error=result["error"], cause=result["cause"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--definition", required=True)
    parser.add_argument("--mock-config", required=True)
    parser.add_argument("--inputs", required=True, help="JSON: state machine -> test case -> execution input")
    parser.add_argument("--environment", default="local")
    parser.add_argument("--require-approval", action="store_true", help="the definition as an environment that requires plan approval")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("ours", nargs="+", help="our CLI, e.g. dotnet functions/.../knowitall.dll")
    options = parser.parse_args()

    m = load_moto()
    logging.disable(logging.ERROR)  # moto logs every error a state raises, caught or not
    with open(options.definition, encoding="utf-8") as f:
        definition = substitute(f.read(), options.environment, options.require_approval)
    with open(options.mock_config, encoding="utf-8") as f:
        config = json.load(f)
    with open(options.inputs, encoding="utf-8") as f:
        inputs = json.load(f)

    cases = [(machine, case) for machine, body in config["StateMachines"].items() for case in body["TestCases"]]
    missing = [f"{machine}/{case}" for machine, case in cases if case not in inputs.get(machine, {})]
    if missing:
        sys.exit(f"error: {options.inputs} has no execution input for: {', '.join(missing)}")
    if not cases:
        sys.exit(f"error: {options.mock_config} has no test cases")

    with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
        ours = {key: pool.submit(run_ours, options.ours, options.environment, options.require_approval, options.mock_config, key[1], inputs[key[0]][key[1]]) for key in cases}
        theirs = {(machine, case): run_moto(m, definition, config, machine, case, inputs[machine][case]) for machine, case in cases}
        ours = {key: future.result() for key, future in ours.items()}

    differing = 0
    for key in cases:
        a, b = theirs[key], ours[key]
        fields = [f for f in ("status", "path", "output", "error", "cause") if a[f] != b[f]]
        label = f"{key[0]}/{key[1]}"
        if not fields:
            print(f"  same  {label}: {a['status']}{' ' + a['error'] if a['error'] else ''} via {' > '.join(a['path'])}")
            continue
        differing += 1
        print(f"  DIFF  {label}: {', '.join(fields)}")
        for f in fields:
            print(f"        moto: {f} = {json.dumps(a[f], sort_keys=True)[:2000]}")
            print(f"        ours: {f} = {json.dumps(b[f], sort_keys=True)[:2000]}")
    print(f"moto parity: {len(cases) - differing} of {len(cases)} test cases identical ({options.mock_config})")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
