<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AnswerPage</name>
    <message>
        <location filename="../../app/ui/answer_page.py" line="297"/>
        <source>← 返回</source>
        <translation>← Back</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="298"/>
        <source>录入数据…</source>
        <translation>Visit data…</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="299"/>
        <source>走访记录…</source>
        <translation>Visit record…</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="300"/>
        <source>工资考勤核查…</source>
        <translation>Wage and attendance check…</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="301"/>
        <source>完成体检</source>
        <translation>Finish check</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="304"/>
        <source>↑ 上一项</source>
        <translation>↑ Previous</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="305"/>
        <source>下一项 ↓</source>
        <translation>Next ↓</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="306"/>
        <source>备注：所见情况、涉及人数、材料名称等（输入即自动保存）</source>
        <translation>Note: what you saw, how many people, which documents… (saved as you type)</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="337"/>
        <source>体检：{name}（{date}）</source>
        <translation>Check: {name} ({date})</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="425"/>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="427"/>
        <source>计算</source>
        <translation>Computed</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="429"/>
        <source>待答</source>
        <translation>To answer</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="433"/>
        <source>【{tag}】{title}
{text}</source>
        <translation>[{tag}] {title}
{text}</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="475"/>
        <source>&#x3000;严重程度：{s}</source>
        <translation>  Severity: {s}</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="476"/>
        <source>&#x3000;（风险信号）</source>
        <translation>  (risk signal)</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="476"/>
        <source>&#x3000;（计算项）</source>
        <translation>  (computed item)</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="480"/>
        <source>根据录入数据，本项不适用，无需作答。</source>
        <translation>From the visit data this item does not apply; no answer needed.</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="483"/>
        <source>根据录入数据判定为“不符合”。如数据有误，请点“录入数据…”更正。</source>
        <translation>Judged &quot;non-compliant&quot; from the visit data. If the data is wrong, correct it under &quot;Visit data…&quot;.</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="488"/>
        <source>根据工资考勤核查判定为“不符合”，问题表述按核查结果生成。如有劳动者不应计入，请在“工资考勤核查…”中排除。</source>
        <translation>Non-compliant by the wage and attendance check; the finding is worded from its results. To leave a worker out, exclude them in “Wage and attendance check…”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="496"/>
        <source>计算结果：</source>
        <translation>Computed result: </translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="498"/>
        <source>查看材料：</source>
        <translation>Documents to check: </translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="501"/>
        <source>法律依据：</source>
        <translation>Legal basis: </translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="539"/>
        <source>未检查</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="540"/>
        <source>请说明未检查的理由（如：企业未能提供材料）：</source>
        <translation>Why was it not checked (e.g. the enterprise could not produce the documents)?</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="592"/>
        <source>已保存 {time}</source>
        <translation>Saved {time}</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="611"/>
        <source>备注已保存 {time}（作答时一并记录）</source>
        <translation>Note saved {time} (recorded with the answer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="675"/>
        <source>录入数据已保存</source>
        <translation>Visit data saved</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="687"/>
        <source>走访记录已保存</source>
        <translation>Visit record saved</translation>
    </message>
    <message>
        <location filename="../../app/ui/answer_page.py" line="707"/>
        <source>尚未完成</source>
        <translation>Not finished yet</translation>
    </message>
</context>
<context>
    <name>ArchivedBanner</name>
    <message>
        <location filename="../../app/ui/archived_banner.py" line="40"/>
        <source>从服务器取回…</source>
        <translation>Pull back from server…</translation>
    </message>
    <message>
        <location filename="../../app/ui/archived_banner.py" line="59"/>
        <source>本次体检已按区办设定的保留期限（{days} 天）于 {date} 在本机归档：答案 {answers} 条、照片和文件 {attachments} 个已从本机清理，服务器上保存完整记录。问题、整改事项和通知书仍在本机。</source>
        <translation>This visit was archived on this laptop on {date} under the office&apos;s retention period ({days} days): {answers} answers and {attachments} photos and files were removed here; the server keeps the complete record. Findings, rectification items and notices are still on this laptop.</translation>
    </message>
    <message>
        <location filename="../../app/ui/archived_banner.py" line="81"/>
        <source>正在从服务器取回…</source>
        <translation>Pulling back from the server…</translation>
    </message>
    <message>
        <location filename="../../app/ui/archived_banner.py" line="89"/>
        <source>已从服务器取回：答案 {answers} 条，照片和文件 {attachments} 个。</source>
        <translation>Pulled back from the server: {answers} answers, {attachments} photos and files.</translation>
    </message>
    <message>
        <location filename="../../app/ui/archived_banner.py" line="108"/>
        <source>登录并取回</source>
        <translation>Sign in and pull back</translation>
    </message>
</context>
<context>
    <name>AssignmentsPage</name>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="57"/>
        <source>待体检：区办下发的走访任务，按风险从高到低排列</source>
        <translation>To visit: assignments from the district office, highest risk first</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="59"/>
        <source>暂无走访任务。区办安排后，下次同步时会出现在这里。</source>
        <translation>No visits assigned. When the office plans some, they appear here at the next sync.</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="63"/>
        <source>风险等级</source>
        <translation>Risk grade</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="64"/>
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="65"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="66"/>
        <source>目标日期</source>
        <translation>Target date</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="67"/>
        <source>原因</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="68"/>
        <source>计划</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="78"/>
        <source>打开企业</source>
        <translation>Open enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="79"/>
        <source>开始体检</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="129"/>
        <source>复查</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="129"/>
        <source>体检</source>
        <translation>Health check</translation>
    </message>
    <message>
        <location filename="../../app/ui/assignments_page.py" line="143"/>
        <source>以下复查已由区办改派给同事：</source>
        <translation>The office reassigned these follow-ups to colleagues: </translation>
    </message>
</context>
<context>
    <name>BulkEditDialog</name>
    <message>
        <location filename="../../app/ui/findings_page.py" line="69"/>
        <source>批量设置整改事项</source>
        <translation>Set several items</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="70"/>
        <source>为所选 {n} 项设置（留空的项不改）：</source>
        <translation>Set for the {n} selected items (blank fields stay as they are):</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="74"/>
        <source>统一整改时限</source>
        <translation>Same deadline</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="82"/>
        <source>整改负责人</source>
        <translation>Responsible person</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="83"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="87"/>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
</context>
<context>
    <name>EnterpriseDetail</name>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="163"/>
        <source>← 返回企业列表</source>
        <translation>← Back to enterprises</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="164"/>
        <source>编辑企业信息…</source>
        <translation>Edit enterprise…</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="165"/>
        <source>新建体检…</source>
        <translation>New check…</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="167"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="168"/>
        <source>所属行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="169"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="170"/>
        <source>所属区县</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="171"/>
        <source>联系人及电话</source>
        <translation>Contact and phone</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="172"/>
        <source>职工数量（上年底／目前）</source>
        <translation>Employees (last year-end / now)</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="173"/>
        <source>重点企业</source>
        <translation>Key enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="177"/>
        <source>基本情况</source>
        <translation>Facts</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="178"/>
        <source>风险等级及原因</source>
        <translation>Risk level and reasons</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="180"/>
        <source>体检日期</source>
        <translation>Check date</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="180"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="180"/>
        <source>检查模块</source>
        <translation>Modules</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="180"/>
        <source>问题数</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="182"/>
        <source>体检记录（双击打开）</source>
        <translation>Checks (double-click to open)</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="184"/>
        <source>存在问题</source>
        <translation>Problem found</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="184"/>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="184"/>
        <location filename="../../app/ui/enterprise_detail.py" line="191"/>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="184"/>
        <source>整改负责人</source>
        <translation>Responsible</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="184"/>
        <location filename="../../app/ui/enterprise_detail.py" line="191"/>
        <source>整改情况</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="186"/>
        <source>整改事项（双击查看修改记录）</source>
        <translation>Rectification items (double-click for the change history)</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="187"/>
        <source>修改记录…</source>
        <translation>Change history…</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="188"/>
        <source>撤销复查销号…</source>
        <translation>Revoke verification…</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="189"/>
        <source>问题复发或销号有误时使用：须说明理由，记入修改记录</source>
        <translation>For a problem that came back or a verification made in error: a reason is required and recorded in the change history</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="191"/>
        <source>整改要求</source>
        <translation>Required action</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="191"/>
        <source>协调员</source>
        <translation>Coordinator</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="193"/>
        <source>其他协调员在该企业的整改事项（来自区办服务器，只读）</source>
        <translation>Other coordinators&apos; rectification items at this enterprise (from the district server, read-only)</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="228"/>
        <source>风险等级：{grade}</source>
        <translation>Risk level: {grade}</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="242"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="242"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="244"/>
        <source>未发现风险因素</source>
        <translation>No risk factors found</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="252"/>
        <source>已完成</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="252"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="254"/>
        <source>已完成（本机已归档，可取回）</source>
        <translation>Finished (archived on this laptop, can be pulled back)</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="263"/>
        <source>尚无体检记录：点击“新建体检…”开始</source>
        <translation>No checks yet: click &quot;New check…&quot; to start</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="307"/>
        <source>没有整改事项</source>
        <translation>No rectification items</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="323"/>
        <source>撤销复查销号</source>
        <translation>Revoke verification</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="324"/>
        <source>撤销后该事项恢复为未整改，须说明理由（如：复查发现问题复发），将记入修改记录：</source>
        <translation>The item becomes open again. Give the reason (e.g. the follow-up found the problem again); it is recorded in the change history:</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_detail.py" line="341"/>
        <source>已撤销复查销号，理由已记入修改记录</source>
        <translation>Verification revoked; the reason is recorded in the change history</translation>
    </message>
</context>
<context>
    <name>EnterpriseForm</name>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="121"/>
        <source>编辑企业</source>
        <translation>Edit enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="121"/>
        <source>新增企业</source>
        <translation>New enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="122"/>
        <source>18 位，见营业执照</source>
        <translation>18 characters, on the business licence</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="136"/>
        <source>重点企业</source>
        <translation>Key enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="124"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="125"/>
        <source>单位名称</source>
        <translation>Enterprise name</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="126"/>
        <source>所属行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="127"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="128"/>
        <source>所属区县</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="129"/>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="130"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="131"/>
        <source>上年底职工数量</source>
        <translation>Employees at last year-end</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="132"/>
        <source>目前职工数量</source>
        <translation>Employees now</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="137"/>
        <source>已恢复上次未保存的输入（草稿）：核对后点“保存”，或放弃草稿。</source>
        <translation>Restored what was typed last time and not saved (a draft): check it and press Save, or discard the draft.</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="138"/>
        <source>放弃草稿，恢复原值</source>
        <translation>Discard the draft, restore the saved values</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="170"/>
        <source>请输入 18 位统一社会信用代码</source>
        <translation>Enter the 18-character unified social credit code</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_form.py" line="179"/>
        <source>代码有效：{code}</source>
        <translation>Valid code: {code}</translation>
    </message>
</context>
<context>
    <name>EnterpriseTableModel</name>
    <message>
        <location filename="../../app/ui/enterprise_model.py" line="39"/>
        <source>单位名称</source>
        <translation>Enterprise name</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_model.py" line="40"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_model.py" line="41"/>
        <source>所属行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_model.py" line="42"/>
        <source>所属区县</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_model.py" line="43"/>
        <source>职工人数</source>
        <translation>Employees</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprise_model.py" line="44"/>
        <source>风险等级</source>
        <translation>Risk level</translation>
    </message>
</context>
<context>
    <name>EnterprisesPage</name>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="140"/>
        <source>搜索：单位名称、统一社会信用代码或拼音首字母（如 hdjx）</source>
        <translation>Search: name, credit code or pinyin initials (e.g. hdjx)</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="141"/>
        <source>全部风险等级</source>
        <translation>All risk levels</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="143"/>
        <source>风险：{grade}</source>
        <translation>Risk: {grade}</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="144"/>
        <location filename="../../app/ui/enterprises_page.py" line="246"/>
        <source>全部行业</source>
        <translation>All industries</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="145"/>
        <source>有未整改事项</source>
        <translation>Has open items</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="146"/>
        <source>有逾期事项</source>
        <translation>Has overdue items</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="147"/>
        <source>新增企业…</source>
        <translation>New enterprise…</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="148"/>
        <source>为所选企业新建体检…</source>
        <translation>New check for the selected enterprise…</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="149"/>
        <source>查看企业</source>
        <translation>Open enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="171"/>
        <source>正在搜索…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="218"/>
        <source>共 {total} 家，已显示 {shown} 家</source>
        <translation>Enterprises: {total} (showing {shown})</translation>
    </message>
    <message>
        <location filename="../../app/ui/enterprises_page.py" line="221"/>
        <source>已显示 {shown} 家</source>
        <translation>Enterprises shown: {shown}</translation>
    </message>
</context>
<context>
    <name>EvidenceModel</name>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="76"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="77"/>
        <source>身份证号/工号</source>
        <translation>ID number / staff no.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="78"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="79"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="80"/>
        <source>数值</source>
        <translation>Figure</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="81"/>
        <source>法定标准</source>
        <translation>Legal standard</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="82"/>
        <source>差额或超出</source>
        <translation>Shortfall or excess</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="83"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="128"/>
        <source>（已排除）</source>
        <translation> (excluded)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="135"/>
        <source>未核查：%1</source>
        <translation>Not checked: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="136"/>
        <source>出勤%1天</source>
        <translation>%1 days attended</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="137"/>
        <source>工作日%1天</source>
        <translation>%1 working days</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="142"/>
        <source>，迟延%1天</source>
        <translation>, late by %1 d</translation>
    </message>
</context>
<context>
    <name>FindingsPage</name>
    <message>
        <location filename="../../app/ui/findings_page.py" line="250"/>
        <source>← 企业</source>
        <translation>← Enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="251"/>
        <source>出具整改通知书…</source>
        <translation>Issue rectification notice…</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="252"/>
        <source>修改记录…</source>
        <translation>Change history…</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="253"/>
        <source>走访记录…</source>
        <translation>Visit record…</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="255"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="255"/>
        <source>存在问题</source>
        <translation>Problem found</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="255"/>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="255"/>
        <location filename="../../app/ui/findings_page.py" line="262"/>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="273"/>
        <source>删除该问题…</source>
        <translation>Remove this problem…</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="274"/>
        <source>本项修改记录…</source>
        <translation>History of this item…</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="259"/>
        <source>问题表述（通知书）</source>
        <translation>Statement (on the notice)</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="265"/>
        <source>协调员备注</source>
        <translation>Coordinator&apos;s note</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="260"/>
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="257"/>
        <source>整改事项（输入即自动保存）</source>
        <translation>Rectification item (saved as you type)</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="261"/>
        <source>整改要求</source>
        <translation>Required action</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="263"/>
        <source>整改负责人</source>
        <translation>Responsible person</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="264"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="267"/>
        <source>在整改通知书中写明此备注</source>
        <translation>Print this note on the rectification notice</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="270"/>
        <source>说明理由并保存…</source>
        <translation>Give reason and save…</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="271"/>
        <source>批量设置…</source>
        <translation>Set several…</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="272"/>
        <source>选中多项（按住 Ctrl 或 Shift 点选）后，统一设置整改负责人、电话或时限</source>
        <translation>Select several items (Ctrl or Shift click), then set one responsible person, phone or deadline for all</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="312"/>
        <source>走访记录已保存，修改理由已记录</source>
        <translation>Visit record saved; the reason for the change is recorded</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="487"/>
        <source>已保存 {time}</source>
        <translation>Saved {time}</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="496"/>
        <source>修改已暂存。体检已完成，更正原有内容须说明理由：离开本项时将询问，或点“说明理由并保存…”。</source>
        <translation>Change kept as a draft. The check is finished, so correcting a value needs a reason: you will be asked when you leave this item, or press “Give reason and save…”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="509"/>
        <source>体检完成后的修改必须说明理由，理由将记入修改记录</source>
        <translation>A change after the check is finished needs a reason; it goes into the change history</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="531"/>
        <source>体检已完成，更正原有内容须说明理由（将记入修改记录）：</source>
        <translation>The check is finished: give the reason for this correction (it goes into the change history):</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="573"/>
        <source>已保存：{n} 项已更新</source>
        <translation>Saved: {n} items updated</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="634"/>
        <source>请先说明更正的理由：通知书须与整改事项一致</source>
        <translation>Give the reason for the correction first: the notice must match the items</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="291"/>
        <source>{name} — {date} 体检发现问题 {n} 个</source>
        <translation>{name} — check of {date} found {n} problems</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="356"/>
        <source>（已删除：{reason}）</source>
        <translation>(removed: {reason})</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="398"/>
        <source>本次体检未发现问题。</source>
        <translation>This check found no problems.</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="412"/>
        <source>（无备注）</source>
        <translation>(no note)</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="440"/>
        <source>立即整改</source>
        <translation>Immediately</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="442"/>
        <source>{n}个工作日</source>
        <translation>{n} working days</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="444"/>
        <source>{n}天</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="445"/>
        <source>自体检日起 {days} 天，合 {working} 个工作日（检查表默认：{default}）</source>
        <translation>{days} days from the check, {working} working days (checklist default: {default})</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="449"/>
        <source>；该年度节假日安排尚未公布，工作日为估算</source>
        <translation>; that year&apos;s holiday schedule is not published yet, working days are estimated</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="530"/>
        <source>修改整改事项</source>
        <translation>Change rectification item</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="602"/>
        <source>删除问题</source>
        <translation>Remove problem</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="603"/>
        <source>删除问题必须说明理由（如：企业当场出示了材料）：</source>
        <translation>A problem can only be removed with a reason (e.g. the enterprise produced the documents on the spot):</translation>
    </message>
    <message>
        <location filename="../../app/ui/findings_page.py" line="622"/>
        <source>已删除，理由已记录</source>
        <translation>Removed; the reason is recorded</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="397"/>
        <source>首次使用设置</source>
        <translation>First-run set-up</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="398"/>
        <source>欢迎使用劳动用工法治体检</source>
        <translation>Welcome to LaborCheck, the labor-law health check</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="399"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="402"/>
        <source>开始体检前，请填写本机协调员的信息。姓名和落款单位会印在整改通知书上；设备编号由区办公室分配（如 A3），用于离线生成不重复的文号。以后可在“设置”中修改。</source>
        <translation>Before the first check, enter this laptop&apos;s coordinator. The name and issuing body are printed on rectification notices; the device code is assigned by the district office (e.g. A3) and keeps notice numbers unique offline. You can change this later in Settings.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="406"/>
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="407"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>FollowUpModel</name>
    <message>
        <location filename="../../app/ui/followup_page.py" line="73"/>
        <source>核验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="74"/>
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="75"/>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="76"/>
        <source>存在问题</source>
        <translation>Problem found</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="79"/>
        <source>整改事项</source>
        <translation>Required action</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="77"/>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="80"/>
        <source>整改负责人</source>
        <translation>Responsible person</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="78"/>
        <source>整改情况</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="106"/>
        <source>（预计）</source>
        <translation> (estimated)</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="126"/>
        <source>{progress}，{days}天后到期</source>
        <translation>{progress}, due in {days} days</translation>
    </message>
</context>
<context>
    <name>FollowUpPage</name>
    <message>
        <location filename="../../app/ui/followup_page.py" line="253"/>
        <location filename="../../app/ui/followup_page.py" line="419"/>
        <location filename="../../app/ui/followup_page.py" line="428"/>
        <location filename="../../app/ui/followup_page.py" line="432"/>
        <location filename="../../app/ui/followup_page.py" line="479"/>
        <source>复查销号</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="257"/>
        <source>全部未销号事项</source>
        <translation>All open items</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="257"/>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="257"/>
        <source>7天内到期</source>
        <translation>Due within 7 days</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="260"/>
        <source>按企业名称筛选</source>
        <translation>Filter by enterprise name</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="261"/>
        <source>核验所选事项</source>
        <translation>Verify the ticked items</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="263"/>
        <source>复查日期</source>
        <translation>Follow-up date</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="264"/>
        <source>复查方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="265"/>
        <source>核验说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="266"/>
        <source>证据照片</source>
        <translation>Evidence photo</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="267"/>
        <source>查阅文件</source>
        <translation>Document seen</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="273"/>
        <source>现场复查</source>
        <translation>On-site follow-up</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="273"/>
        <source>书面材料审核</source>
        <translation>Review of documents</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="277"/>
        <source>如：已补签劳动合同，现场核实</source>
        <translation>e.g. contracts signed, seen on site</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="278"/>
        <source>文件名称及编号</source>
        <translation>Document name and number</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="279"/>
        <source>无照片时必填，如“2026年11月工资发放银行流水”</source>
        <translation>Required without a photo, e.g. “bank wage statement, Nov 2026”</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="280"/>
        <source>销号须有证据：证据照片或所查阅文件，至少一项</source>
        <translation>Closing an item needs evidence: a photo or a document seen, at least one</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="281"/>
        <source>选择照片…</source>
        <translation>Choose photo…</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="282"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="284"/>
        <source>核验通过，销号</source>
        <translation>Verified — close items</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="304"/>
        <source>未选择（照片或查阅文件至少填一项）</source>
        <translation>None chosen (a photo or a document seen is required)</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="312"/>
        <source>未销号 {total} 项，其中已逾期 {overdue} 项，7天内到期 {soon} 项；已勾选 {checked} 项</source>
        <translation>{total} open items, {overdue} overdue, {soon} due within 7 days; {checked} ticked</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="400"/>
        <source>选择复查证据照片</source>
        <translation>Choose an evidence photo</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="400"/>
        <source>图片 (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</source>
        <translation>Images (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="419"/>
        <source>尚未设置协调员信息，请先在“设置”中填写。</source>
        <translation>No coordinator profile yet: please fill it in under Settings first.</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="428"/>
        <source>请填写核验说明：核实了什么、结果如何。</source>
        <translation>Please write a verification note: what was checked and what was found.</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="433"/>
        <source>销号必须有证据：请选择证据照片，或填写所查阅文件的名称和编号。</source>
        <translation>Closing an item needs evidence: choose a photo, or enter the name and number of the document seen.</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="438"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="462"/>
        <source>{name}：风险等级 {before} → {after}</source>
        <translation>{name}: risk level {before} → {after}</translation>
    </message>
    <message>
        <location filename="../../app/ui/followup_page.py" line="466"/>
        <source>已保存：{count} 项已复查销号。{grades}</source>
        <translation>Saved: {count} items verified and closed. {grades}</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../app/ui/history_view.py" line="186"/>
        <source>修改记录</source>
        <translation>Change history</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_view.py" line="190"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../app/ui/history_view.py" line="114"/>
        <source>时间（北京时间）</source>
        <translation>Time (Beijing)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_view.py" line="114"/>
        <source>修改人</source>
        <translation>Changed by</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_view.py" line="114"/>
        <source>修改内容</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_view.py" line="114"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_view.py" line="138"/>
        <source>{field}：{old} → {new}</source>
        <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_view.py" line="150"/>
        <source>共 {events} 次修改，{fields} 处字段变更。记录只能追加，不能更改或删除。</source>
        <translation>{events} changes, {fields} fields changed. The history can only grow: it cannot be edited or deleted.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_view.py" line="155"/>
        <source>体检完成后没有修改记录。</source>
        <translation>No changes since the visit was finished.</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="42"/>
        <source>导入企业名录</source>
        <translation>Import enterprise register</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="46"/>
        <source>选择 xlsx 或 csv 文件（表头含“单位名称”“统一社会信用代码”）</source>
        <translation>Choose an xlsx or csv file (with the headers “单位名称” and “统一社会信用代码”)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="47"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="53"/>
        <source>有错误行时，只导入无误的行（错误行列在报告中）</source>
        <translation>If some rows are wrong, import only the correct rows (the wrong ones are listed in the report)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="60"/>
        <source>导入报告将显示在这里</source>
        <translation>The import report will appear here</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="63"/>
        <source>开始导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="64"/>
        <source>取消导入</source>
        <translation>Cancel import</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="66"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="80"/>
        <source>选择企业名录</source>
        <translation>Choose the enterprise register</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="80"/>
        <source>表格文件 (*.xlsx *.csv)</source>
        <translation>Spreadsheets (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="88"/>
        <source>文件不存在：%1</source>
        <translation>File not found: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="101"/>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="120"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="139"/>
        <source>已导入。</source>
        <translation>Imported.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="142"/>
        <source>文件中有错误行，未导入任何企业：请改正后重试，或勾选“只导入无误的行”。</source>
        <translation>The file has wrong rows, so nothing was imported: correct them and try again, or tick “import only the correct rows”.</translation>
    </message>
    <message>
        <location filename="../../app/ui/import_dialog.py" line="153"/>
        <source>已取消导入，未写入任何企业。</source>
        <translation>Import cancelled; no enterprise was written.</translation>
    </message>
</context>
<context>
    <name>InputsDialog</name>
    <message>
        <location filename="../../app/ui/answer_page.py" line="96"/>
        <source>现场录入数据</source>
        <translation>Visit data</translation>
    </message>
</context>
<context>
    <name>InputsForm</name>
    <message>
        <location filename="../../app/ui/visit_inputs.py" line="38"/>
        <location filename="../../app/ui/visit_inputs.py" line="44"/>
        <source>未录入</source>
        <translation>Not entered</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_inputs.py" line="39"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_inputs.py" line="40"/>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="30"/>
        <source>符合</source>
        <translation>Compliant</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="31"/>
        <source>不符合</source>
        <translation>Non-compliant</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>未检查</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="42"/>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="43"/>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="44"/>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="72"/>
        <source>已复查销号（{details}）</source>
        <translation>Verified ({details})</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="73"/>
        <location filename="../../app/ui/labels.py" line="182"/>
        <source>已复查销号</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="75"/>
        <location filename="../../app/ui/labels.py" line="181"/>
        <source>已提交整改材料</source>
        <translation>Fix reported</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="78"/>
        <source>已提交整改材料（{date}）</source>
        <translation>Fix reported ({date})</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="80"/>
        <location filename="../../app/ui/labels.py" line="180"/>
        <source>未整改</source>
        <translation>Not fixed</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="82"/>
        <source>{progress}，已逾期{days}天</source>
        <translation>{progress}, {days} days overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="93"/>
        <source>人</source>
        <translation> people</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="94"/>
        <source>元</source>
        <translation> yuan</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="95"/>
        <source>个月</source>
        <translation> months</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="96"/>
        <source>小时</source>
        <translation> hours</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="97"/>
        <source>天</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="105"/>
        <source>{label}：待录入</source>
        <translation>{label}: not entered yet</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="122"/>
        <source>（来源：{source}）</source>
        <translation> (source: {source})</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="124"/>
        <source>欠薪投诉</source>
        <translation>wage-arrears complaint</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="125"/>
        <source>欠缴税费</source>
        <translation>Tax arrears</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="126"/>
        <source>欠缴社会保险费</source>
        <translation>Social insurance arrears</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="127"/>
        <source>贷款逾期</source>
        <translation>Loan default</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="128"/>
        <source>物流异常</source>
        <translation>Logistics anomaly</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="129"/>
        <source>劳动保障守法诚信等级</source>
        <translation>Labour-law compliance credit grade</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="115"/>
        <source>{n} 项严重问题逾期未整改</source>
        <translation>Serious problems overdue: {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="116"/>
        <source>{n} 项严重问题未整改</source>
        <translation>Serious problems not fixed: {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="117"/>
        <source>{n} 项整改已逾期</source>
        <translation>Items overdue: {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="118"/>
        <source>{n} 项一般问题未整改</source>
        <translation>Medium problems not fixed: {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="119"/>
        <source>最近一次体检记录了风险信号：{signal}</source>
        <translation>The latest check recorded a risk signal: {signal}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="120"/>
        <source>有{indicator}记录</source>
        <translation>A {indicator} on record</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="121"/>
        <source>{indicator}为{grade}级</source>
        <translation>{indicator}: grade {grade}</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="137"/>
        <source>体检记录</source>
        <translation>Visit record</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="138"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="139"/>
        <source>整改事项</source>
        <translation>Rectification item</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="140"/>
        <source>整改通知书</source>
        <translation>Rectification notice</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="147"/>
        <source>整改要求</source>
        <translation>Required action</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="148"/>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="149"/>
        <source>时限为估算</source>
        <translation>Deadline estimated</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="150"/>
        <source>整改负责人</source>
        <translation>Responsible person</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="151"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="152"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="153"/>
        <source>提交整改材料时间</source>
        <translation>Fix reported at</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="154"/>
        <source>企业整改说明</source>
        <translation>Enterprise&apos;s report</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="155"/>
        <source>复查日期</source>
        <translation>Follow-up date</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="156"/>
        <source>复查人</source>
        <translation>Verified by</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="157"/>
        <source>复查说明</source>
        <translation>Follow-up note</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="158"/>
        <source>复查记录</source>
        <translation>Follow-up record</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="159"/>
        <source>删除理由</source>
        <translation>Reason for removal</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="160"/>
        <source>删除时间</source>
        <translation>Removed at</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="161"/>
        <source>作废理由</source>
        <translation>Reason for voiding</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="162"/>
        <source>作废时间</source>
        <translation>Voided at</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="163"/>
        <source>替代的通知书</source>
        <translation>Supersedes notice</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="164"/>
        <source>到达时间</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="165"/>
        <source>离开时间</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="166"/>
        <source>接待人员</source>
        <translation>People met</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="167"/>
        <source>查阅资料</source>
        <translation>Documents inspected</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="177"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="183"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="184"/>
        <source>已签署</source>
        <translation>Signed</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="185"/>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="186"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="187"/>
        <source>已完成</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="198"/>
        <source>编号 {id}…</source>
        <translation>No. {id}…</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="226"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="226"/>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>LedgerModel</name>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="111"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="112"/>
        <source>单位名称</source>
        <translation>Enterprise name</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="113"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="114"/>
        <source>所属行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="115"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="116"/>
        <source>联系人及电话</source>
        <translation>Contact and phone</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="117"/>
        <source>上年底职工数量</source>
        <translation>Staff, last year-end</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="118"/>
        <source>目前职工数量</source>
        <translation>Staff now</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="119"/>
        <source>体检日期</source>
        <translation>Check date</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="120"/>
        <source>体检人员</source>
        <translation>Checked by</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="121"/>
        <source>存在问题</source>
        <translation>Problem found</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="122"/>
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="123"/>
        <source>整改事项</source>
        <translation>Required action</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="124"/>
        <source>整改时限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="125"/>
        <source>整改负责人</source>
        <translation>Responsible person</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="126"/>
        <source>整改情况</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="127"/>
        <source>风险等级</source>
        <translation>Risk level</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="153"/>
        <source>（预计）</source>
        <translation> (estimated)</translation>
    </message>
</context>
<context>
    <name>LedgerPage</name>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="245"/>
        <source>未整改（未到期）</source>
        <translation>Open (not yet due)</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="246"/>
        <source>已提交整改材料</source>
        <translation>Fix reported</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="247"/>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="248"/>
        <source>已复查销号</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="252"/>
        <source>劳动用工法治“体检”服务工作台账</source>
        <translation>Labor-law health check work ledger</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="253"/>
        <source>专项行动</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="254"/>
        <source>区县</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="255"/>
        <source>整改状态</source>
        <translation>Item status</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="256"/>
        <source>导出台账…</source>
        <translation>Export ledger…</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="257"/>
        <source>取消导出</source>
        <translation>Cancel export</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="288"/>
        <source>全部专项行动</source>
        <translation>All campaigns</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="289"/>
        <source>全部区县</source>
        <translation>All districts</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="290"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="307"/>
        <source>共 {count} 条整改事项，涉及 {enterprises} 家企业；已复查销号 {verified} 条，企业已报送整改材料待复查 {awaiting} 条，超过整改期限仍未销号 {overdue} 条</source>
        <translation>{count} rectification items at {enterprises} enterprises; {verified} verified, {awaiting} awaiting verification of the enterprise&apos;s material, {overdue} past the deadline and not yet verified</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="388"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="388"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="390"/>
        <location filename="../../app/ui/ledger_page.py" line="475"/>
        <source>导出工作台账</source>
        <translation>Export the ledger</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="467"/>
        <source>台账已导出：{path}</source>
        <translation>Ledger exported: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/ledger_page.py" line="471"/>
        <source>已取消导出</source>
        <translation>Export cancelled</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="178"/>
        <source>劳动用工法治体检</source>
        <translation>LaborCheck — labor-law health check</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="180"/>
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="181"/>
        <source>复查</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="182"/>
        <source>台账</source>
        <translation>Ledger</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="183"/>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="184"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="185"/>
        <source>待体检</source>
        <translation>To visit</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="191"/>
        <source>操作</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="192"/>
        <source>新建体检</source>
        <translation>New check</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="193"/>
        <source>新增企业</source>
        <translation>New enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="194"/>
        <source>导入企业名录</source>
        <translation>Import enterprise register</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="195"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="197"/>
        <source>正在打开本机数据…</source>
        <translation>Opening the data on this computer…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="357"/>
        <source>{offer} 点此同步</source>
        <translation>{offer} Click to sync</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="445"/>
        <source>出现意外错误</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="447"/>
        <source>提示</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>NewVisitDialog</name>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="62"/>
        <source>新建体检</source>
        <translation>New check</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="73"/>
        <source>输入单位名称、信用代码或拼音首字母查找企业</source>
        <translation>Find an enterprise by name, credit code or pinyin initials</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="76"/>
        <source>未选择企业</source>
        <translation>No enterprise chosen</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="79"/>
        <source>新增企业…</source>
        <translation>New enterprise…</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="80"/>
        <source>被检查企业</source>
        <translation>Enterprise checked</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="91"/>
        <source>（不属于专项行动）</source>
        <translation>(no campaign)</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="100"/>
        <source>同行协调员姓名，用“、”分隔（可不填）</source>
        <translation>Accompanying coordinators, separated by &quot;、&quot; (optional)</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="102"/>
        <source>专项行动</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="103"/>
        <source>体检日期</source>
        <translation>Check date</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="104"/>
        <source>同行人员</source>
        <translation>Accompanied by</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="114"/>
        <source>检查模块（按录入情况建议，可修改）</source>
        <translation>Modules (suggested from the visit data; editable)</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="122"/>
        <source>现场录入（可稍后在作答时补录）</source>
        <translation>Visit data (can be completed while answering)</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="142"/>
        <source>开始体检</source>
        <translation>Start check</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="186"/>
        <source>已选择：{name}（{uscc}）</source>
        <translation>Chosen: {name} ({uscc})</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="209"/>
        <source>（建议）</source>
        <translation> (suggested)</translation>
    </message>
    <message>
        <location filename="../../app/ui/new_visit_dialog.py" line="233"/>
        <source>请先选择或新增被检查企业</source>
        <translation>Choose or add the enterprise to check first</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="200"/>
        <source>整改通知书</source>
        <translation>Rectification notice</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="201"/>
        <source>协调员签名</source>
        <translation>Coordinator&apos;s signature</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="202"/>
        <source>企业代表签名</source>
        <translation>Enterprise representative&apos;s signature</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="203"/>
        <source>企业代表姓名</source>
        <translation>Representative</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="204"/>
        <source>签收人姓名</source>
        <translation>Name of the person signing</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="205"/>
        <source>确认签署（签署后不可修改）</source>
        <translation>Sign (cannot be changed afterwards)</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="206"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="207"/>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="208"/>
        <location filename="../../app/ui/notice_dialog.py" line="210"/>
        <source>作废并重新出具</source>
        <translation>Void and re-issue</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="209"/>
        <source>作废理由（必填），如：整改时限填写有误</source>
        <translation>Reason (required), e.g. a deadline was wrong</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="211"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="221"/>
        <source>已签署（协调员：{coordinator}；企业代表：{enterprise}）。通知书已锁定，不能修改。</source>
        <translation>Signed (coordinator: {coordinator}; enterprise: {enterprise}). The notice is locked and cannot be changed.</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="225"/>
        <source>已作废：{reason}</source>
        <translation>Voided: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="227"/>
        <source>草稿。本次体检未发现需要整改的问题，无需签署整改通知书。</source>
        <translation>Draft. This check found nothing to rectify; no notice needs signing.</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="228"/>
        <source>草稿，共 {count} 个问题。请协调员和企业代表分别签名后确认签署。</source>
        <translation>Draft with {count} problems. The coordinator and the enterprise representative each sign, then confirm.</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="233"/>
        <source>正在生成整改通知书…</source>
        <translation>Preparing the rectification notice…</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="239"/>
        <source>字体提示（预览与打印所用字体）：</source>
        <translation>Fonts (used for the preview and printing; the advice below is in Chinese):</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="244"/>
        <source>预览暂不可用</source>
        <translation>Preview not available</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="334"/>
        <source>请协调员和企业代表都签名后再确认签署。</source>
        <translation>Both the coordinator and the enterprise representative must sign first.</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="377"/>
        <source>保存整改通知书</source>
        <translation>Save the rectification notice</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="377"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="389"/>
        <source>无法保存文件：{error}</source>
        <translation>Could not save the file: {error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="391"/>
        <source>已保存：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="397"/>
        <source>打印整改通知书</source>
        <translation>Print rectification notice</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="403"/>
        <source>已发送到打印机：共 {pages} 页。</source>
        <translation>Sent to the printer: {pages} pages.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../app/ui/sign_in_dialog.py" line="20"/>
        <source>登录同步服务器</source>
        <translation>Sign in to the sync server</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in_dialog.py" line="28"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in_dialog.py" line="29"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../app/ui/sign_in_dialog.py" line="32"/>
        <source>登录并同步</source>
        <translation>Sign in and sync</translation>
    </message>
</context>
<context>
    <name>PhotoMaskDialog</name>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="150"/>
        <source>遮挡敏感信息 — {name}</source>
        <translation>Mask personal data — {name}</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="155"/>
        <source>用鼠标或手写笔拖出矩形，遮挡身份证号、银行账号等与检查无关的个人信息。保存时只写入遮挡后的照片，原图不会保存到本机数据中。</source>
        <translation>Drag rectangles with the mouse or pen over ID numbers, bank accounts and other personal data the check does not need. Only the masked photo is saved; the original is never stored.</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="161"/>
        <source>撤销上一块</source>
        <translation>Undo last</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="162"/>
        <source>全部清除</source>
        <translation>Clear all</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="163"/>
        <source>保存照片</source>
        <translation>Save photo</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="165"/>
        <source>不添加此照片</source>
        <translation>Don&apos;t add this photo</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="185"/>
        <source>无法预览该文件，将由系统检查后给出原因</source>
        <translation>This file cannot be previewed; saving will check it and say why</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="193"/>
        <source>已遮挡 {n} 处</source>
        <translation>{n} region(s) masked</translation>
    </message>
    <message>
        <location filename="../../app/ui/photo_mask_dialog.py" line="193"/>
        <source>尚未遮挡（不需要遮挡可直接保存）</source>
        <translation>Nothing masked yet (save directly if nothing needs masking)</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <location filename="../../app/ui/photos.py" line="118"/>
        <source>双击查看原图；可把照片文件拖到这里</source>
        <translation>Double-click to view full size; drop photo files here</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="119"/>
        <source>添加照片…</source>
        <translation>Add photos…</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="120"/>
        <source>删除照片</source>
        <translation>Remove photo</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="121"/>
        <source>拖入照片文件，或点击“添加照片…”</source>
        <translation>Drop photo files here, or click &quot;Add photos…&quot;</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="163"/>
        <source>选择照片</source>
        <translation>Choose photos</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="163"/>
        <source>图片</source>
        <translation>Images</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="163"/>
        <source>所有文件</source>
        <translation>All files</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="223"/>
        <source>无法读取文件（{reason}）</source>
        <translation>Cannot read the file ({reason})</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="228"/>
        <source>正在处理照片…</source>
        <translation>Processing photos…</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="235"/>
        <source>以下文件未添加：</source>
        <translation>These files were not added:</translation>
    </message>
    <message>
        <location filename="../../app/ui/photos.py" line="272"/>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../../app/ui/photos.py" line="62"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>PreferencesForm</name>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="186"/>
        <source>区县服务器（同步）</source>
        <translation>District server (sync)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="187"/>
        <source>界面与通知书</source>
        <translation>Display and notices</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="188"/>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="189"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="190"/>
        <source>通知书字体</source>
        <translation>Notice font</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="191"/>
        <source>如：https://tj.example.gov.cn（由区办公室提供）</source>
        <translation>e.g. https://tj.example.gov.cn (from the district office)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="192"/>
        <source>我同意将本机的体检记录同步到上述服务器</source>
        <translation>I agree to sync this laptop&apos;s check records to this server</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="193"/>
        <source>体检记录含劳动者个人信息。未勾选同意前，本机不会向任何服务器发送数据。</source>
        <translation>Check records contain workers&apos; personal information. Until you agree, nothing is sent to any server.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="194"/>
        <source>留空：自动选用仿宋或宋体</source>
        <translation>Empty: FangSong or Song, found automatically</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="195"/>
        <source>选择字体文件…</source>
        <translation>Choose font file…</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="196"/>
        <source>自动</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="211"/>
        <source>未找到可用于整改通知书的中文字体，请安装中文字体或在上方指定字体文件。</source>
        <translation>No Chinese font for notices was found: install Chinese fonts or choose a font file above.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="213"/>
        <source>通知书字体不全：</source>
        <translation>Notice fonts incomplete (details in Chinese):</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="215"/>
        <source>通知书所需字体齐全：</source>
        <translation>All notice fonts are installed: </translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="225"/>
        <source>选择通知书字体</source>
        <translation>Choose the notice font</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="225"/>
        <source>TrueType 字体 (*.ttf *.ttc)</source>
        <translation>TrueType fonts (*.ttf *.ttc)</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="252"/>
        <source>字体文件不存在或不是 TrueType 字体（.ttf/.ttc）：{path}</source>
        <translation>The font file does not exist or is not a TrueType font (.ttf/.ttc): {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="243"/>
        <source>服务器地址应以 https:// 开头，如 https://tj.example.gov.cn</source>
        <translation>The server address must start with https://, e.g. https://tj.example.gov.cn</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="93"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="94"/>
        <source>协调员证号</source>
        <translation>Badge number</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="95"/>
        <source>所在单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="96"/>
        <source>所属区县</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="97"/>
        <source>设备编号(&amp;D)</source>
        <translation>&amp;Device code</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="98"/>
        <source>落款单位</source>
        <translation>Issuing body</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="99"/>
        <source>文号前缀</source>
        <translation>Notice number prefix</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="103"/>
        <source>如：李明</source>
        <translation>e.g. 李明</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="104"/>
        <source>如：DC-0107</source>
        <translation>e.g. DC-0107</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="105"/>
        <source>如：达州市达川区人力资源和社会保障局</source>
        <translation>e.g. 达州市达川区人力资源和社会保障局</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="106"/>
        <source>如：达川区</source>
        <translation>e.g. 达川区</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="107"/>
        <source>区办公室分配的 1–8 位字母或数字，如 A3</source>
        <translation>1–8 letters or digits from the district office, e.g. A3</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="108"/>
        <source>通知书落款，如：达州市达川区协调劳动关系三方办公室</source>
        <translation>Body that signs off notices, e.g. 达州市达川区协调劳动关系三方办公室</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="109"/>
        <source>文号中年份前的机关代字，如：达川人社体检</source>
        <translation>Abbreviation before the year in the notice number, e.g. 达川人社体检</translation>
    </message>
</context>
<context>
    <name>RiskGrade</name>
    <message>
        <location filename="../../app/ui/i18n.py" line="44"/>
        <source>高</source>
        <translation>High</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="45"/>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="46"/>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="49"/>
        <source>未评级</source>
        <translation>Not graded</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="332"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="333"/>
        <source>协调员信息</source>
        <translation>Coordinator</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="335"/>
        <source>以下信息用于整改通知书的落款、文号和签名；设备编号由区办公室分配，保证离线编号不重复。</source>
        <translation>Used for the notice&apos;s sign-off, number and signature; the device code from the district office keeps offline numbers unique.</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="337"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="338"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SignatureBox</name>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="69"/>
        <source>撤销一笔</source>
        <translation>Undo stroke</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="70"/>
        <source>恢复</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../app/ui/notice_dialog.py" line="71"/>
        <source>清除重签</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../app/ui/signature_pad.py" line="101"/>
        <source>签名板</source>
        <translation>Signature pad</translation>
    </message>
    <message>
        <location filename="../../app/ui/signature_pad.py" line="286"/>
        <source>请在此处签名（鼠标、手写笔或手指）</source>
        <translation>Sign here (mouse, pen or finger)</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="172"/>
        <source>专项行动统计</source>
        <translation>Campaign statistics</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="173"/>
        <source>专项行动</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="179"/>
        <source>高风险企业</source>
        <translation>High-risk enterprises</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="181"/>
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="181"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="181"/>
        <source>整改事项</source>
        <translation>Rectification items</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="181"/>
        <source>风险因素</source>
        <translation>Risk factors</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="207"/>
        <source>全部专项行动</source>
        <translation>All campaigns</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="276"/>
        <source>体检 {audits} 次</source>
        <translation>{audits} checks</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="174"/>
        <source>导出工作报告…</source>
        <translation>Export report…</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="175"/>
        <source>打印工作报告…</source>
        <translation>Print report…</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="194"/>
        <source>完成体检的企业（家）</source>
        <translation>Enterprises checked</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="195"/>
        <source>发现的问题（个）</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="196"/>
        <source>已复查销号的整改事项（项）</source>
        <translation>Items verified as fixed</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="197"/>
        <source>企业已报送整改材料、待复查的整改事项（项）</source>
        <translation>Items with material sent, awaiting verification</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="198"/>
        <source>超过整改期限仍未销号的整改事项（项）</source>
        <translation>Items past the deadline, not yet verified</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="199"/>
        <source>体检企业中风险等级为高的企业（家）</source>
        <translation>High-risk enterprises among those checked</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="200"/>
        <source>企业名录中风险等级为高的企业（家）</source>
        <translation>High-risk enterprises in the whole registry</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="278"/>
        <source>整改销号率 {rate}（共 {total} 项）</source>
        <translation>Verified rate {rate} (of {total} items)</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="283"/>
        <source>企业名录共 {count} 家，含尚未体检的企业</source>
        <translation>Registry: {count} enterprises, including those not yet checked</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="289"/>
        <source>问题分布（按检查模块）</source>
        <translation>Problems by module</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="294"/>
        <source>问题数</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="297"/>
        <source>严重</source>
        <translation>High</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="297"/>
        <source>一般</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="297"/>
        <source>轻微</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="300"/>
        <source>问题严重程度</source>
        <translation>Problems by severity</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="309"/>
        <source>整改事项状态</source>
        <translation>Rectification items by status</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="311"/>
        <source>已复查销号</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="312"/>
        <source>已提交整改材料（未到期）</source>
        <translation>Material sent (within deadline)</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="355"/>
        <source>工作报告</source>
        <translation>Campaign report</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="361"/>
        <source>导出工作报告</source>
        <translation>Export campaign report</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="361"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="373"/>
        <source>无法保存文件：{error}</source>
        <translation>Cannot save the file: {error}</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="375"/>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="383"/>
        <source>打印工作报告</source>
        <translation>Print campaign report</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="387"/>
        <source>已发送到打印机：共 {pages} 页。</source>
        <translation>Sent to the printer: {pages} pages.</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="313"/>
        <source>整改中（未到期）</source>
        <translation>Open (not yet due)</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="314"/>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="322"/>
        <source>未整改 {open} 项，其中逾期 {overdue} 项</source>
        <translation>{open} open, {overdue} overdue</translation>
    </message>
    <message>
        <location filename="../../app/ui/statistics_page.py" line="326"/>
        <source>无未整改事项</source>
        <translation>No open items</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="132"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="140"/>
        <source>打开设置</source>
        <translation>Open settings</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="142"/>
        <source>同意向此地址同步</source>
        <translation>Agree to sync with this address</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="153"/>
        <location filename="../../app/ui/sync_panel.py" line="186"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="155"/>
        <source>稍后</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="175"/>
        <source>同步状态</source>
        <translation>Sync status</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="177"/>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="178"/>
        <source>上次成功同步</source>
        <translation>Last successful sync</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="179"/>
        <source>待发送的修改</source>
        <translation>Changes waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="180"/>
        <source>待查看的冲突</source>
        <translation>Conflicts to review</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="181"/>
        <source>本机保留期限</source>
        <translation>Retention on this laptop</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="182"/>
        <source>无法使用的检查表</source>
        <translation>Unusable checklists</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="183"/>
        <source>最近的问题</source>
        <translation>Latest problem</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="190"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="275"/>
        <source>尚未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="202"/>
        <source>本次同步</source>
        <translation>This sync</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="231"/>
        <source>没有需要查看的冲突：服务器没有改写本机的任何修改。</source>
        <translation>No conflicts to review: the server overrode none of the changes made on this laptop.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="233"/>
        <source>所选已阅</source>
        <translation>Mark selected as read</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="235"/>
        <source>全部已阅</source>
        <translation>Mark all as read</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="237"/>
        <source>需要查看的冲突（被合并规则覆盖的值都保留在这里）</source>
        <translation>Conflicts to review (every value overridden by the merge rules is kept here)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="292"/>
        <source>（未设置）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="294"/>
        <source>从未成功同步</source>
        <translation>Never synced successfully</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="299"/>
        <source>{n} 条（仅在本机）</source>
        <translation>{n} (on this laptop only)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="299"/>
        <location filename="../../app/ui/sync_panel.py" line="302"/>
        <location filename="../../app/ui/sync_panel.py" line="314"/>
        <location filename="../../app/ui/sync_panel.py" line="317"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="302"/>
        <source>{n} 条</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="307"/>
        <source>区办设定 {days} 天：已同步且整改完毕的体检超过期限后，本机只保留摘要（答案和照片在服务器上，可在该次体检页面取回）。目前已归档 {n} 次。</source>
        <translation>Set by the office: {days} days. Synced visits whose items are all verified keep only a summary here after that (answers and photos stay on the server and can be pulled back from the visit&apos;s page). Archived so far: {n}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="312"/>
        <source>区办未设定：本机保留全部体检记录</source>
        <translation>Not set by the office: this laptop keeps every visit</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="324"/>
        <source>本机继续使用第 {n} 版</source>
        <translation>this laptop keeps using version {n}</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="326"/>
        <source>本机没有该检查表的其他版本</source>
        <translation>this laptop has no other version of it</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="327"/>
        <source>已报告区办</source>
        <translation>reported to the district office</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="327"/>
        <source>将在下次同步时报告区办</source>
        <translation>to be reported to the district office at the next sync</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="328"/>
        <source>{module} 第 {version} 版无法使用，{kept}，{told}。
原因：{reason}</source>
        <translation>{module} version {version} cannot be used: {kept}, {told}.
Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="338"/>
        <source>尚未同意与服务器 {url} 同步。同意之前，本机不会连接该地址，数据只保存在本机。请核对地址是否为区办提供的地址。</source>
        <translation>You have not agreed to sync with the server {url}. Until you agree, this laptop does not contact that address and the data stays on this laptop only. Please check that it is the address the district office gave you.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="342"/>
        <source>尚未设置区办服务器地址：请在设置中填写区办提供的地址并确认同意后再同步。</source>
        <translation>No district server address is set: enter the address the district office gave you in the settings and agree to it, then sync.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="413"/>
        <source>正在连接服务器…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="441"/>
        <source>正在取消：当前这一步完成后停止，已完成的部分会保留…</source>
        <translation>Cancelling: stops after the current step; what is done is kept…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="447"/>
        <source>{done} / {total} KB</source>
        <translation>{done} / {total} KB</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="449"/>
        <source>已发送 {done} / {total} 条</source>
        <translation>{done} of {total} sent</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="451"/>
        <source>已接收 {n} 条</source>
        <translation>{n} received</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="453"/>
        <source>正在连接服务器</source>
        <translation>Contacting the server</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="455"/>
        <location filename="../../app/ui/sync_panel.py" line="477"/>
        <source>同步完成</source>
        <translation>Sync finished</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="462"/>
        <source>{phase}：{detail}</source>
        <translation>{phase}: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="478"/>
        <source>发送 {sent} 条修改，接收 {received} 条数据，冲突 {conflicts} 条，问题 {errors} 条。</source>
        <translation>Sent {sent} changes, received {received} records, {conflicts} conflicts, {errors} problems.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="482"/>
        <source>上传附件 {n} 个（{kb} KB）。</source>
        <translation>Uploaded {n} attachments ({kb} KB).</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="486"/>
        <source>按区办设定的保留期限，{n} 次已同步的体检在本机只保留摘要。</source>
        <translation>Under the office&apos;s retention period, {n} synced visits now keep only a summary on this laptop.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="488"/>
        <source>请在下方查看冲突。</source>
        <translation>Please review the conflicts below.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="499"/>
        <source>需要登录</source>
        <translation>Sign-in needed</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="504"/>
        <source>同步未完成</source>
        <translation>Sync not finished</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="512"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="514"/>
        <source>同步已取消；已完成的部分已保存，下次同步会继续。</source>
        <translation>Sync cancelled; what was done is saved and the next sync continues.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="585"/>
        <source>已能连接区办服务器，本机有 {n} 条修改尚未同步。</source>
        <translation>The district server can be reached; {n} changes on this laptop have not been synced yet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="106"/>
        <source>企业名称</source>
        <translation>Enterprise name</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="107"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="108"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="109"/>
        <source>行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="110"/>
        <source>所属区县</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="111"/>
        <source>重点企业</source>
        <translation>Key enterprise</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="112"/>
        <source>职工人数</source>
        <translation>Headcount</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="113"/>
        <source>上年末职工人数</source>
        <translation>Headcount at last year end</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="114"/>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="115"/>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="116"/>
        <source>检查表内容</source>
        <translation>Checklist content</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="122"/>
        <source>连接</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="123"/>
        <source>上传附件</source>
        <translation>Uploading attachments</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="124"/>
        <source>发送修改</source>
        <translation>Sending changes</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="125"/>
        <source>接收数据</source>
        <translation>Receiving data</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="126"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="218"/>
        <source>对象</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="218"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="218"/>
        <source>本机的值</source>
        <translation>Value on this laptop</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="218"/>
        <source>服务器的值</source>
        <translation>Value on the server</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="218"/>
        <source>处理结果</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="371"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../app/ui/sync_panel.py" line="297"/>
        <source>{time}（北京时间）</source>
        <translation>{time} (Beijing time)</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../app/ui/tasks.py" line="44"/>
        <source>出现意外错误（{kind}），详情已记入日志：{path}</source>
        <translation>Unexpected error ({kind}); details are in the log: {path}</translation>
    </message>
</context>
<context>
    <name>VisitRecordDialog</name>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="141"/>
        <source>显示的是上次未保存的修改（草稿）：填写修改理由后保存</source>
        <translation>Showing the change not saved last time (a draft): it is saved once you give the reason</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="144"/>
        <source>走访记录</source>
        <translation>Visit record</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="145"/>
        <location filename="../../app/ui/visit_record_dialog.py" line="146"/>
        <source>已填写</source>
        <translation>Set</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="147"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="147"/>
        <source>职务</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="148"/>
        <source>添加一人</source>
        <translation>Add person</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="149"/>
        <source>删除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="150"/>
        <source>每行一项，如：职工花名册、劳动合同、2026年10月工资表</source>
        <translation>One per line, e.g. staff roster, labour contracts, October 2026 payroll</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="151"/>
        <source>体检已完成，修改须说明理由</source>
        <translation>The visit is finished: give a reason for the change</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="153"/>
        <source>到达时间</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="154"/>
        <source>离开时间</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="155"/>
        <source>接待人员</source>
        <translation>People met</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="156"/>
        <source>查阅资料</source>
        <translation>Documents inspected</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="157"/>
        <source>修改理由</source>
        <translation>Reason for change</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="161"/>
        <source>关闭（已自动保存）</source>
        <translation>Close (saved automatically)</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="216"/>
        <source>修改已暂存为草稿：体检已完成，请填写修改理由后才会保存到走访记录</source>
        <translation>Kept as a draft: the check is finished, so the visit record changes only once you give the reason</translation>
    </message>
    <message>
        <location filename="../../app/ui/visit_record_dialog.py" line="221"/>
        <source>已保存 {time}</source>
        <translation>Saved {time}</translation>
    </message>
</context>
<context>
    <name>WageCheckDialog</name>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="211"/>
        <source>工资考勤核查</source>
        <translation>Wage and attendance check</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="212"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="213"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="215"/>
        <source>添加工资表…</source>
        <translation>Add payroll…</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="216"/>
        <source>添加考勤表…</source>
        <translation>Add attendance…</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="217"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="218"/>
        <source>未约定（不核查发放日期）</source>
        <translation>None agreed (pay dates not checked)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="220"/>
        <source>次月</source>
        <translation>Next month</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="221"/>
        <source>当月</source>
        <translation>Same month</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="222"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="223"/>
        <source>读取表格</source>
        <translation>Read sheets</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="224"/>
        <source>日发放上月（或当月）工资</source>
        <translation>day: wages of the previous (or same) month are paid</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="228"/>
        <source>工资表（xlsx、xls、ods、csv）</source>
        <translation>Payroll (xlsx, xls, ods, csv)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="229"/>
        <source>考勤表或打卡记录（可选）</source>
        <translation>Attendance or clock-in records (optional)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="230"/>
        <source>适用的最低工资标准</source>
        <translation>Minimum-wage standard that applies</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="231"/>
        <source>约定的工资支付日</source>
        <translation>Agreed pay day</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="232"/>
        <source>每日用餐休息（按打卡计算工时时扣除）</source>
        <translation>Daily meal break (deducted when hours come from punches)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="238"/>
        <location filename="../../app/ui/wage_check_dialog.py" line="353"/>
        <source>不核查最低工资（未选择标准）</source>
        <translation>Minimum wage not checked (no standard chosen)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="240"/>
        <source>列名</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="240"/>
        <source>示例</source>
        <translation>Examples</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="240"/>
        <source>对应为</source>
        <translation>Holds</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="241"/>
        <source>如 2026-09（表中无月份列时填写）</source>
        <translation>e.g. 2026-09 (when the sheet has no month column)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="242"/>
        <source>如 2026-10-15（表中无发放日期列时填写）</source>
        <translation>e.g. 2026-10-15 (when the sheet has no pay-date column)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="243"/>
        <source>← 返回</source>
        <translation>← Back</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="244"/>
        <source>开始核查</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="246"/>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="246"/>
        <source>所属月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="246"/>
        <source>发放日期</source>
        <translation>Pay date</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="254"/>
        <source>← 修改列对应</source>
        <translation>← Correct columns</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="255"/>
        <source>保存为本次体检证据</source>
        <translation>Save as evidence of this visit</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="256"/>
        <source>排除/恢复所选劳动者…</source>
        <translation>Exclude/restore selected worker…</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="257"/>
        <source>导出 Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="258"/>
        <source>重新读取表格…</source>
        <translation>Read sheets again…</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="259"/>
        <source>全部问题</source>
        <translation>All problems</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="262"/>
        <source>未核查的劳动者月份</source>
        <translation>Worker-months not checked</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="326"/>
        <source>选择表格文件</source>
        <translation>Choose spreadsheet files</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="326"/>
        <source>表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt)</source>
        <translation>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.txt)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="347"/>
        <source>正在读取表格…</source>
        <translation>Reading the sheets…</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="360"/>
        <source>本机没有区办发布的最低工资标准（同步后可用），最低工资将不作核查。</source>
        <translation>This laptop has no minimum-wage table from the district office (it arrives at sync); the minimum wage will not be checked.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="415"/>
        <source>工资表：%1</source>
        <translation>Payroll: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="417"/>
        <source>考勤表（按日排列）：%1</source>
        <translation>Attendance (a column per day): %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="419"/>
        <source>考勤表：%1</source>
        <translation>Attendance: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="426"/>
        <source>%1：找不到表头（姓名、应发工资等列名），已跳过</source>
        <translation>%1: no header found (no column named 姓名, 应发工资 or the like); skipped</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="443"/>
        <source>（无列名）</source>
        <translation>(no header)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="446"/>
        <source>不使用</source>
        <translation>Not used</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="509"/>
        <source>正在逐人逐月核查…</source>
        <translation>Checking every worker, every month…</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="512"/>
        <source>表格中有 %1 处问题，未读入任何数据。请改正表格或列对应后重试。</source>
        <translation>The sheets have %1 problems; nothing was loaded. Correct the sheets or the column mapping and try again.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="590"/>
        <source>另发现“%1”，但本次体检未选择相应的检查项，不形成问题。</source>
        <translation>Also found: %1; this visit does not include the checklist item, so no finding is made.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="598"/>
        <source>核查 %1 名劳动者（%2）。</source>
        <translation>Checked %1 workers (%2).</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="602"/>
        <source>未发现问题。</source>
        <translation>No problems found.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="605"/>
        <source>未核查：</source>
        <translation>Not checked: </translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="605"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="607"/>
        <source>已排除 %1 名劳动者（理由记入修改记录）。</source>
        <translation>%1 workers excluded (reasons in the change history).</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="618"/>
        <source>%1：%2%3（%4人次）</source>
        <translation>%1: %2%3 (worker-months: %4)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="619"/>
        <source>%1，</source>
        <translation>%1, </translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="663"/>
        <source>这是本次体检已保存的工资考勤核查结果；重新读取表格可替换它。</source>
        <translation>This is the saved wage check of this visit; reading sheets again replaces it.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="676"/>
        <source>已保存：核查结果已记入相应检查项，原始表格已加密保存为证据。</source>
        <translation>Saved: the results are recorded on their checklist items and the original sheets are kept encrypted as evidence.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="689"/>
        <source>请先保存核查结果，并在明细中选择一名劳动者。</source>
        <translation>Save the results first and select a worker in the table.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="695"/>
        <source>排除劳动者</source>
        <translation>Exclude worker</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="695"/>
        <source>恢复劳动者</source>
        <translation>Restore worker</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="696"/>
        <source>请说明理由（记入修改记录）：</source>
        <translation>Reason (recorded in the change history):</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="714"/>
        <source>导出核查明细</source>
        <translation>Export the evidence table</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="714"/>
        <source>工资考勤核查明细.xlsx</source>
        <translation>wage-check-details.xlsx</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="721"/>
        <source>已导出 %1 条明细。</source>
        <translation>Exported %1 rows.</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_check_dialog.py" line="766"/>
        <source>已取消，未保存任何数据。</source>
        <translation>Cancelled; nothing was saved.</translation>
    </message>
</context>
<context>
    <name>WageTexts</name>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="37"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="38"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="39"/>
        <source>工号</source>
        <translation>Staff number</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="40"/>
        <source>工资所属月份</source>
        <translation>Month the wage is for</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="41"/>
        <source>应发工资</source>
        <translation>Gross pay</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="42"/>
        <source>实发工资</source>
        <translation>Net pay</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="43"/>
        <source>基本工资（加班工资计算基数）</source>
        <translation>Base wage (basis of overtime pay)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="44"/>
        <source>加班工资</source>
        <translation>Overtime pay</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="45"/>
        <source>中夜班、高温、低温、井下、有毒有害等津贴</source>
        <translation>Shift, heat, cold, underground or hazardous-work allowances</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="46"/>
        <source>法定福利待遇</source>
        <translation>Statutory welfare benefits</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="47"/>
        <source>代扣个人社会保险费</source>
        <translation>Worker&apos;s social insurance withheld</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="48"/>
        <source>代扣个人住房公积金</source>
        <translation>Worker&apos;s housing fund withheld</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="49"/>
        <source>代扣个人所得税</source>
        <translation>Income tax withheld</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="50"/>
        <source>扣款（赔偿经济损失等）</source>
        <translation>Deduction (compensation for losses, etc.)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="51"/>
        <source>扣款原因</source>
        <translation>Reason for deduction</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="52"/>
        <source>发放日期</source>
        <translation>Pay date</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="53"/>
        <source>出勤天数</source>
        <translation>Days attended</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="54"/>
        <source>工作日加班小时</source>
        <translation>Workday overtime hours</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="55"/>
        <source>休息日加班小时</source>
        <translation>Rest-day overtime hours</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="56"/>
        <source>法定节假日加班小时</source>
        <translation>Public-holiday overtime hours</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="57"/>
        <source>用工形式（全日制/非全日制）</source>
        <translation>Employment (full-time / part-time)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="58"/>
        <source>工作小时数（非全日制）</source>
        <translation>Hours worked (part-time)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="59"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="60"/>
        <source>上班打卡时间</source>
        <translation>Clock-in time</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="61"/>
        <source>下班打卡时间</source>
        <translation>Clock-out time</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="62"/>
        <source>打卡时间（每行一次打卡）</source>
        <translation>Punch time (one punch per row)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="63"/>
        <source>当日工作时长</source>
        <translation>Hours worked that day</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="64"/>
        <source>当日加班时长</source>
        <translation>Overtime that day</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="65"/>
        <source>当日考勤（按日排列的考勤表）</source>
        <translation>Day&apos;s attendance (a column per day)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="71"/>
        <source>月工资低于当地月最低工资标准</source>
        <translation>Monthly wage below the local monthly minimum wage</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="72"/>
        <source>非全日制用工小时工资低于当地小时最低工资标准</source>
        <translation>Part-time hourly wage below the local hourly minimum wage</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="73"/>
        <source>每月扣除工资超过当月工资的百分之二十</source>
        <translation>Deductions above 20% of the month&apos;s wage</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="74"/>
        <source>扣除后的剩余工资低于当地月最低工资标准</source>
        <translation>Wage left after deductions below the local monthly minimum wage</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="75"/>
        <source>加班工资低于法定标准</source>
        <translation>Overtime pay below the statutory rates</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="76"/>
        <source>工资未在约定日期支付</source>
        <translation>Wages not paid on the agreed day</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="77"/>
        <source>工资逾期未支付</source>
        <translation>Wages overdue and unpaid</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="78"/>
        <source>有出勤记录而工资表中无当月工资</source>
        <translation>Attendance but no wage on the payroll for the month</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="79"/>
        <source>单日延长工作时间超过三小时</source>
        <translation>More than three hours of overtime on a day</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="80"/>
        <source>月延长工作时间超过三十六小时</source>
        <translation>More than 36 hours of overtime in a month</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="81"/>
        <source>未保证每周至少休息一日</source>
        <translation>No day of rest in a week</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="88"/>
        <source>%1 天</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="90"/>
        <location filename="../../app/ui/wage_texts.py" line="145"/>
        <source>%1 小时</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="92"/>
        <source>%1 周</source>
        <translation>%1 wk</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="93"/>
        <source>%1 元</source>
        <translation>%1 yuan</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="97"/>
        <source>工资表未提供应发工资</source>
        <translation>the payroll gives no gross pay</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="99"/>
        <source>当月出勤天数少于当月工作日，未按月最低工资标准比较（《最低工资规定》第三条）</source>
        <translation>fewer days attended than the month&apos;s working days, so not compared with the monthly minimum wage (Minimum Wage Provisions, Article 3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="101"/>
        <source>标准不含个人缴纳社会保险费和住房公积金，工资表未列该项，未予剔除</source>
        <translation>the standard excludes the worker&apos;s own social insurance and housing fund, which the payroll does not list, so they were not taken off</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="102"/>
        <source>非全日制劳动者未提供工资或工作小时数</source>
        <translation>no pay or hours worked given for a part-time worker</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="103"/>
        <source>最低工资标准表未列小时最低工资标准</source>
        <translation>the minimum-wage table lists no hourly minimum</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="104"/>
        <source>最低工资标准表未覆盖该月或未选择适用标准</source>
        <translation>the minimum-wage table does not cover the month, or no standard was chosen</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="105"/>
        <source>工资表未同时提供基本工资和加班工资</source>
        <translation>the payroll does not give both the base wage and overtime pay</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="106"/>
        <source>未填写约定的工资支付日</source>
        <translation>no agreed pay day entered</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="107"/>
        <source>工资表未提供发放日期</source>
        <translation>the payroll gives no pay date</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="108"/>
        <source>工资表未提供实发或应发工资</source>
        <translation>the payroll gives neither net nor gross pay</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="115"/>
        <source>出勤%1天，当月工作日%2天；</source>
        <translation>%1 days attended, %2 working days in the month; </translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="128"/>
        <source>%1（%2，%3起执行）</source>
        <translation>%1 (%2, in force from %3)</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="137"/>
        <source>应发 %1</source>
        <translation>gross %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="138"/>
        <source>加班工资 %1</source>
        <translation>overtime pay %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="139"/>
        <source>特殊津贴及福利 %1</source>
        <translation>special allowances and welfare %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="140"/>
        <source>个人缴纳社保公积金 %1</source>
        <translation>own social insurance and housing fund %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="148"/>
        <source>当月工资 %1</source>
        <translation>month&apos;s wage %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="155"/>
        <source>小时工资 %1 元；延长工作时间 %2 小时、休息日 %3 小时、法定休假日 %4 小时，应付不低于 %5</source>
        <translation>hourly wage %1 yuan; %2 h workday overtime, %3 h on rest days, %4 h on public holidays: at least %5 due</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="162"/>
        <source>%1 支付</source>
        <translation>paid on %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="164"/>
        <source>截至 %1 未支付</source>
        <translation>unpaid as of %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="166"/>
        <source>考勤表有出勤记录</source>
        <translation>attendance recorded on the attendance sheet</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="168"/>
        <source>超过三小时的天数：%1天</source>
        <translation>days over three hours: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="171"/>
        <source>工资表记载的加班小时数</source>
        <translation>overtime hours stated on the payroll</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="172"/>
        <source>按考勤记录计算</source>
        <translation>computed from the attendance records</translation>
    </message>
    <message>
        <location filename="../../app/ui/wage_texts.py" line="176"/>
        <source>未休息的周：%1</source>
        <translation>weeks without rest: %1</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../app/ui/app.py" line="106"/>
        <source>劳动用工法治体检</source>
        <translation>LaborCheck — labor-law health check</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="135"/>
        <source>出现意外错误（{kind}），详情已记入日志：{path}</source>
        <translation>Unexpected error ({kind}); details are in the log: {path}</translation>
    </message>
    <message>
        <location filename="../../app/ui/app.py" line="140"/>
        <source>出现意外错误</source>
        <translation>Unexpected error</translation>
    </message>
</context>
</TS>
