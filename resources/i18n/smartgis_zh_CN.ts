<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
 <context>
  <name>AttributeForm</name>
  <message>
   <source>(from the element's own phase)</source>
   <translation>（按要素自身的建设期次）</translation>
  </message>
  <message>
   <source>(no key project)</source>
   <translation>（不属于重点项目）</translation>
  </message>
  <message>
   <source>(several values)</source>
   <translation>（多个值）</translation>
  </message>
  <message>
   <source>(type defaults)</source>
   <translation>（类型默认值）</translation>
  </message>
  <message>
   <source>Cancel</source>
   <translation>取消</translation>
  </message>
  <message>
   <source>Construction phase</source>
   <translation>建设期次</translation>
  </message>
  <message>
   <source>Edit {n} elements</source>
   <translation>编辑 {n} 个元素</translation>
  </message>
  <message>
   <source>Key project</source>
   <translation>重点项目</translation>
  </message>
  <message>
   <source>OK</source>
   <translation>确定</translation>
  </message>
  <message>
   <source>Place the next elements without this form (type defaults)</source>
   <translation>之后放置元素时不再显示此表单（使用类型默认值）</translation>
  </message>
  <message>
   <source>Variant</source>
   <translation>型式</translation>
  </message>
  <message>
   <source>{n} elements ({kinds}). Fields showing several values stay as they are unless you enter a new value.</source>
   <translation>{n} 个元素（{kinds}）。显示“多个值”的字段保持原值，除非输入新值。</translation>
  </message>
  <message>
   <source>{type} — attributes</source>
   <translation>{type} — 属性</translation>
  </message>
 </context>
 <context>
  <name>AttributeTableDock</name>
  <message>
   <source>, {shown} shown</source>
   <translation>，显示 {shown} 个</translation>
  </message>
  <message>
   <source>Attribute table</source>
   <translation>属性表</translation>
  </message>
  <message>
   <source>Deselect all</source>
   <translation>取消选择</translation>
  </message>
  <message>
   <source>Expression</source>
   <translation>表达式</translation>
  </message>
  <message>
   <source>Filter rows (Enter to apply)</source>
   <translation>筛选行（按回车应用）</translation>
  </message>
  <message>
   <source>Filtering {layer}</source>
   <translation>正在筛选 {layer}</translation>
  </message>
  <message>
   <source>Invert selection</source>
   <translation>反向选择</translation>
  </message>
  <message>
   <source>Loading attributes…</source>
   <translation>正在读取属性…</translation>
  </message>
  <message>
   <source>No vector layer chosen</source>
   <translation>未选择矢量图层</translation>
  </message>
  <message>
   <source>Reading the attributes of {layer}</source>
   <translation>正在读取 {layer} 的属性</translation>
  </message>
  <message>
   <source>Search</source>
   <translation>搜索</translation>
  </message>
  <message>
   <source>Search: rows containing the text in any field.
Expression: e.g. "floors" &gt; 10 AND use = 'residential'</source>
   <translation>搜索：任一字段包含该文本的行。
表达式：例如 "floors" &gt; 10 AND use = 'residential'</translation>
  </message>
  <message>
   <source>Select shown rows</source>
   <translation>选择显示的行</translation>
  </message>
  <message>
   <source>Selected only</source>
   <translation>仅显示所选</translation>
  </message>
  <message>
   <source>Zoom to selection</source>
   <translation>缩放至所选要素</translation>
  </message>
  <message>
   <source>e.g. "floors" &gt; 10 AND use = 'residential'</source>
   <translation>例如 "floors" &gt; 10 AND use = 'residential'</translation>
  </message>
  <message>
   <source>{total} features, {selected} selected</source>
   <translation>共 {total} 个要素，已选 {selected} 个</translation>
  </message>
 </context>
 <context>
  <name>AutoSave</name>
  <message>
   <source>Autosave</source>
   <translation>自动保存</translation>
  </message>
  <message>
   <source>Autosave failed: {error}</source>
   <translation>自动保存失败：{error}</translation>
  </message>
  <message>
   <source>Autosaved a recovery copy at {time}</source>
   <translation>已于 {time} 自动保存恢复副本</translation>
  </message>
  <message>
   <source>Discard</source>
   <translation>丢弃</translation>
  </message>
  <message>
   <source>Not now</source>
   <translation>暂不</translation>
  </message>
  <message>
   <source>Open the recovery copy of a project that was not saved when SmartGIS stopped</source>
   <translation>打开 SmartGIS 异常退出时未保存项目的恢复副本</translation>
  </message>
  <message>
   <source>Recover</source>
   <translation>恢复</translation>
  </message>
  <message>
   <source>Recover opens the copy; save it to keep it. Discard deletes the copy.</source>
   <translation>“恢复”打开该副本，保存后即可保留；“丢弃”删除该副本。</translation>
  </message>
  <message>
   <source>Recover unsaved work</source>
   <translation>恢复未保存的工作</translation>
  </message>
  <message>
   <source>Recover unsaved work…</source>
   <translation>恢复未保存的工作…</translation>
  </message>
  <message>
   <source>SmartGIS did not close normally. A recovery copy of {what} from {time} ({n} design elements) holds changes that were not saved.</source>
   <translation>SmartGIS 上次没有正常关闭。{what} 在 {time} 的恢复副本（{n} 个设计元素）中有未保存的修改。</translation>
  </message>
  <message>
   <source>There is no unsaved work to recover.</source>
   <translation>没有需要恢复的未保存工作。</translation>
  </message>
  <message>
   <source>Unsaved work from an earlier session can be recovered: Project ▸ Recover unsaved work…</source>
   <translation>上次会话有未保存的工作可以恢复：项目 ▸ 恢复未保存的工作…</translation>
  </message>
  <message>
   <source>an unsaved project ({name})</source>
   <translation>未保存的项目（{name}）</translation>
  </message>
 </context>
 <context>
  <name>BatchLayoutDialog</name>
  <message>
   <source>Along lines</source>
   <translation>沿线布设</translation>
  </message>
  <message>
   <source>Along the lines of</source>
   <translation>沿该图层的线</translation>
  </message>
  <message>
   <source>Also elements that already have a link</source>
   <translation>已有连接的元素也重新连接</translation>
  </message>
  <message>
   <source>At the intersections of</source>
   <translation>在该图层的交叉口</translation>
  </message>
  <message>
   <source>Batch layout</source>
   <translation>批量布设</translation>
  </message>
  <message>
   <source>Both sides of the line</source>
   <translation>线的两侧</translation>
  </message>
  <message>
   <source>Cameras face</source>
   <translation>摄像机朝向</translation>
  </message>
  <message>
   <source>Cancel</source>
   <translation>取消</translation>
  </message>
  <message>
   <source>Choose the elements to connect and the type to connect them to.</source>
   <translation>请选择要连接的元素及其连接目标类型。</translation>
  </message>
  <message>
   <source>Connect</source>
   <translation>连接</translation>
  </message>
  <message>
   <source>Connect to nearest</source>
   <translation>连接最近元素</translation>
  </message>
  <message>
   <source>Element type</source>
   <translation>元素类型</translation>
  </message>
  <message>
   <source>Ends closer than</source>
   <translation>端点容差</translation>
  </message>
  <message>
   <source>Grid</source>
   <translation>网格布设</translation>
  </message>
  <message>
   <source>Inside the polygons of</source>
   <translation>在该图层的面内</translation>
  </message>
  <message>
   <source>Intersections</source>
   <translation>交叉口布设</translation>
  </message>
  <message>
   <source>Lines meeting (at least)</source>
   <translation>交汇线数（至少）</translation>
  </message>
  <message>
   <source>Margin inside</source>
   <translation>内缩距离</translation>
  </message>
  <message>
   <source>Minimum gap</source>
   <translation>最小间距</translation>
  </message>
  <message>
   <source>Nothing was placed.</source>
   <translation>没有布设任何元素。</translation>
  </message>
  <message>
   <source>Offset from the line</source>
   <translation>距线偏移</translation>
  </message>
  <message>
   <source>Pattern</source>
   <translation>排列方式</translation>
  </message>
  <message>
   <source>Place</source>
   <translation>布设</translation>
  </message>
  <message>
   <source>Rotation</source>
   <translation>旋转角度</translation>
  </message>
  <message>
   <source>Spacing</source>
   <translation>间距</translation>
  </message>
  <message>
   <source>The new elements take the type's default attributes. One undo step.</source>
   <translation>新元素使用类型的默认属性，可一步撤销。</translation>
  </message>
  <message>
   <source>The project has no suitable layer for this layout; import one first.</source>
   <translation>项目中没有适合此布设方式的图层，请先导入。</translation>
  </message>
  <message>
   <source>To the nearest</source>
   <translation>连接到最近的</translation>
  </message>
  <message>
   <source>Within</source>
   <translation>距离范围</translation>
  </message>
  <message>
   <source>along the line</source>
   <translation>顺线方向</translation>
  </message>
  <message>
   <source>away from the line</source>
   <translation>背向线</translation>
  </message>
  <message>
   <source>hexagonal (densest cover)</source>
   <translation>六边形（覆盖最密）</translation>
  </message>
  <message>
   <source>keep the default direction</source>
   <translation>保持默认朝向</translation>
  </message>
  <message>
   <source>no limit</source>
   <translation>不限</translation>
  </message>
  <message>
   <source>off</source>
   <translation>关闭</translation>
  </message>
  <message>
   <source>square</source>
   <translation>正方形</translation>
  </message>
  <message>
   <source>towards the line</source>
   <translation>朝向线</translation>
  </message>
 </context>
 <context>
  <name>CheckFeature</name>
  <message>
   <source>Add a standards file of your own (a city's local standard)</source>
   <translation>加载自定义标准文件（如地方标准）</translation>
  </message>
  <message>
   <source>Added {n} elements to the design; Edit ▸ Undo removes them. Run the check again to see the effect.</source>
   <translation>已向设计方案加入 {n} 个元素，可用“编辑 ▸ 撤销”移除。重新检查可查看效果。</translation>
  </message>
  <message>
   <source>Check panel</source>
   <translation>检查面板</translation>
  </message>
  <message>
   <source>Check the design against the standards, rule by rule</source>
   <translation>逐条检查设计方案是否符合标准</translation>
  </message>
  <message>
   <source>Check: {p} pass, {f} fail, {w} warnings, {n} not applicable ({t:.1f} s)</source>
   <translation>检查完成：符合 {p} 条，不符合 {f} 条，警告 {w} 条，不适用 {n} 条（{t:.1f} 秒）</translation>
  </message>
  <message>
   <source>Checking the design</source>
   <translation>正在检查设计方案</translation>
  </message>
  <message>
   <source>Choosing sites for new elements</source>
   <translation>正在计算补点位置</translation>
  </message>
  <message>
   <source>Load standards file</source>
   <translation>加载标准文件</translation>
  </message>
  <message>
   <source>Load standards file…</source>
   <translation>加载标准文件…</translation>
  </message>
  <message>
   <source>Report written: {path}</source>
   <translation>已输出报告：{path}</translation>
  </message>
  <message>
   <source>Run check…</source>
   <translation>标准符合性检查…</translation>
  </message>
  <message>
   <source>Standards</source>
   <translation>标准</translation>
  </message>
  <message>
   <source>Standards check</source>
   <translation>标准符合性检查</translation>
  </message>
  <message>
   <source>Standards file (*.json)</source>
   <translation>标准文件 (*.json)</translation>
  </message>
  <message>
   <source>Suggest elements</source>
   <translation>建议补点</translation>
  </message>
  <message>
   <source>Write check report</source>
   <translation>输出检查报告</translation>
  </message>
 </context>
 <context>
  <name>CheckPanel</name>
  <message>
   <source>Accept</source>
   <translation>采纳</translation>
  </message>
  <message>
   <source>Add the proposed elements to the design (one undo step)</source>
   <translation>将建议的元素加入设计方案（可一步撤销）</translation>
  </message>
  <message>
   <source>All standards</source>
   <translation>全部标准</translation>
  </message>
  <message>
   <source>Discard</source>
   <translation>放弃</translation>
  </message>
  <message>
   <source>Every mandatory and required rule passes.</source>
   <translation>应满足的条款（含强制性条文）均符合。</translation>
  </message>
  <message>
   <source>Failures only</source>
   <translation>只看不符合项</translation>
  </message>
  <message>
   <source>Falls short — {tier}</source>
   <translation>未达标 — {tier}</translation>
  </message>
  <message>
   <source>Gaps: {area} km²</source>
   <translation>未覆盖区域：{area} km²</translation>
  </message>
  <message>
   <source>HTML report (*.html);;PDF report (*.pdf)</source>
   <translation>HTML 报告 (*.html);;PDF 报告 (*.pdf)</translation>
  </message>
  <message>
   <source>Hide rules that do not apply</source>
   <translation>隐藏不适用的条款</translation>
  </message>
  <message>
   <source>Mandatory clauses fail.</source>
   <translation>有强制性条文不符合。</translation>
  </message>
  <message>
   <source>No check run yet.</source>
   <translation>尚未进行检查。</translation>
  </message>
  <message>
   <source>No mandatory or required rule could be judged.</source>
   <translation>没有可判定的应满足条款。</translation>
  </message>
  <message>
   <source>Nothing to propose: </source>
   <translation>无需补点：</translation>
  </message>
  <message>
   <source>Propose the fewest new elements that make this rule pass</source>
   <translation>计算使本条款达标所需的最少新增元素</translation>
  </message>
  <message>
   <source>Report…</source>
   <translation>检查报告…</translation>
  </message>
  <message>
   <source>Required rules fail.</source>
   <translation>有应满足的条款不符合。</translation>
  </message>
  <message>
   <source>Rule</source>
   <translation>条款</translation>
  </message>
  <message>
   <source>Run check</source>
   <translation>开始检查</translation>
  </message>
  <message>
   <source>Severity</source>
   <translation>性质</translation>
  </message>
  <message>
   <source>Show only the rules that fail or warn</source>
   <translation>只显示不符合和警告的条款</translation>
  </message>
  <message>
   <source>Standards check</source>
   <translation>标准符合性检查</translation>
  </message>
  <message>
   <source>Standards to check against</source>
   <translation>检查所依据的标准</translation>
  </message>
  <message>
   <source>Suggest elements</source>
   <translation>建议补点</translation>
  </message>
  <message>
   <source>Threshold</source>
   <translation>限值</translation>
  </message>
  <message>
   <source>Value</source>
   <translation>实测值</translation>
  </message>
  <message>
   <source>Write check report</source>
   <translation>输出检查报告</translation>
  </message>
  <message>
   <source>Write the report as HTML or PDF</source>
   <translation>输出 HTML 或 PDF 检查报告</translation>
  </message>
  <message>
   <source>mandatory clause</source>
   <translation>强制性条文</translation>
  </message>
  <message>
   <source>meets the threshold</source>
   <translation>达到限值</translation>
  </message>
  <message>
   <source>recommended</source>
   <translation>宜</translation>
  </message>
  <message>
   <source>reference</source>
   <translation>参考指标</translation>
  </message>
  <message>
   <source>reference value — confirm against the purchased standard</source>
   <translation>参考值——请以正式出版的标准文本为准</translation>
  </message>
  <message>
   <source>required</source>
   <translation>应</translation>
  </message>
  <message>
   <source>still short of the threshold</source>
   <translation>仍未达到限值</translation>
  </message>
  <message>
   <source>{n} new elements proposed: {before} → {after} {unit} ({state}). Accept adds them to the design.</source>
   <translation>建议新增 {n} 个元素：{before} → {after} {unit}（{state}）。点击“采纳”加入设计方案。</translation>
  </message>
  <message>
   <source>{p} pass, {f} fail, {w} warnings, {n} not applicable</source>
   <translation>符合 {p} 条，不符合 {f} 条，警告 {w} 条，不适用 {n} 条</translation>
  </message>
 </context>
 <context>
  <name>ColorButton</name>
  <message>
   <source>Choose colour</source>
   <translation>选择颜色</translation>
  </message>
 </context>
 <context>
  <name>CommentDialog</name>
  <message>
   <source>Author</source>
   <translation>提出人</translation>
  </message>
  <message>
   <source>Comment</source>
   <translation>意见</translation>
  </message>
  <message>
   <source>New review comment</source>
   <translation>新建审查意见</translation>
  </message>
  <message>
   <source>Pinned to</source>
   <translation>标注位置</translation>
  </message>
  <message>
   <source>Please give your name.</source>
   <translation>请填写您的姓名。</translation>
  </message>
  <message>
   <source>Please write the comment.</source>
   <translation>请填写意见内容。</translation>
  </message>
  <message>
   <source>What should the designer look at or change?</source>
   <translation>请写明需要设计人员核查或修改的内容</translation>
  </message>
  <message>
   <source>Your name</source>
   <translation>您的姓名</translation>
  </message>
 </context>
 <context>
  <name>ControlPointDialog</name>
  <message>
   <source>(not refitted)</source>
   <translation>（未重新拟合）</translation>
  </message>
  <message>
   <source>(refitted without them)</source>
   <translation>（已剔除后重新拟合）</translation>
  </message>
  <message>
   <source>3 × RMS</source>
   <translation>3 倍中误差</translation>
  </message>
  <message>
   <source>4 parameters (helmert2d: shift, rotation, scale)</source>
   <translation>四参数（平移、旋转、尺度）</translation>
  </message>
  <message>
   <source>6 parameters (affine)</source>
   <translation>六参数（仿射）</translation>
  </message>
  <message>
   <source>7 parameters (helmert7, geocentric, position vector)</source>
   <translation>七参数（空间直角坐标，位置矢量约定）</translation>
  </message>
  <message>
   <source>Add point</source>
   <translation>添加点</translation>
  </message>
  <message>
   <source>Base CRS (dst):</source>
   <translation>基准坐标系（目标）：</translation>
  </message>
  <message>
   <source>Base E</source>
   <translation>基准 E</translation>
  </message>
  <message>
   <source>Base N</source>
   <translation>基准 N</translation>
  </message>
  <message>
   <source>Base h</source>
   <translation>基准 h</translation>
  </message>
  <message>
   <source>CSV files (*.csv *.txt);;All files (*)</source>
   <translation>CSV 文件 (*.csv *.txt);;所有文件 (*)</translation>
  </message>
  <message>
   <source>City grid</source>
   <translation>城市独立坐标系</translation>
  </message>
  <message>
   <source>Click the map to set the base coordinates of the selected point</source>
   <translation>单击地图，设置所选点的基准坐标</translation>
  </message>
  <message>
   <source>Control points</source>
   <translation>控制点</translation>
  </message>
  <message>
   <source>Grid h</source>
   <translation>独立 h</translation>
  </message>
  <message>
   <source>Grid x</source>
   <translation>独立 x</translation>
  </message>
  <message>
   <source>Grid y</source>
   <translation>独立 y</translation>
  </message>
  <message>
   <source>Import CSV…</source>
   <translation>导入 CSV…</translation>
  </message>
  <message>
   <source>Local coordinate system from control points</source>
   <translation>由控制点求独立坐标系</translation>
  </message>
  <message>
   <source>Model:</source>
   <translation>模型：</translation>
  </message>
  <message>
   <source>Name:</source>
   <translation>名称：</translation>
  </message>
  <message>
   <source>Outlier above:</source>
   <translation>粗差阈值：</translation>
  </message>
  <message>
   <source>Paste from Excel</source>
   <translation>从 Excel 粘贴</translation>
  </message>
  <message>
   <source>Pick base point on map</source>
   <translation>在地图上拾取基准坐标</translation>
  </message>
  <message>
   <source>Point</source>
   <translation>点号</translation>
  </message>
  <message>
   <source>RMS {rms} m · {used} of {n} points used · worst: {worst}</source>
   <translation>中误差 {rms} 米 · 使用 {n} 个点中的 {used} 个 · 残差最大：{worst}</translation>
  </message>
  <message>
   <source>Remove</source>
   <translation>删除</translation>
  </message>
  <message>
   <source>Residual (m)</source>
   <translation>残差（米）</translation>
  </message>
  <message>
   <source>Save system</source>
   <translation>保存坐标系</translation>
  </message>
  <message>
   <source>Use</source>
   <translation>参与</translation>
  </message>
  <message>
   <source>Zoom to points</source>
   <translation>缩放到控制点</translation>
  </message>
  <message>
   <source>clipboard</source>
   <translation>剪贴板</translation>
  </message>
  <message>
   <source>dE (m)</source>
   <translation>dE（米）</translation>
  </message>
  <message>
   <source>dN (m)</source>
   <translation>dN（米）</translation>
  </message>
  <message>
   <source>outliers: {ids}</source>
   <translation>粗差点：{ids}</translation>
  </message>
  <message>
   <source>saved as {name}</source>
   <translation>已保存为 {name}</translation>
  </message>
  <message>
   <source>{model} needs at least {need} control points</source>
   <translation>{model} 至少需要 {need} 个控制点</translation>
  </message>
 </context>
 <context>
  <name>ConverterPanel</name>
  <message>
   <source>Coordinates</source>
   <translation>坐标</translation>
  </message>
  <message>
   <source>GCJ-02: Amap, Tencent, Google Maps in China. BD-09: Baidu. Inverse transforms are solved to 1e-9°.</source>
   <translation>GCJ-02：高德、腾讯、谷歌中国地图；BD-09：百度。反算迭代至 1e-9°。</translation>
  </message>
  <message>
   <source>Input in</source>
   <translation>输入坐标系</translation>
  </message>
  <message>
   <source>Latitude</source>
   <translation>纬度</translation>
  </message>
  <message>
   <source>Longitude</source>
   <translation>经度</translation>
  </message>
  <message>
   <source>Project CRS</source>
   <translation>项目坐标系</translation>
  </message>
  <message>
   <source>System</source>
   <translation>坐标系</translation>
  </message>
 </context>
 <context>
  <name>CrsChooser</name>
  <message>
   <source>Area of use: {area}</source>
   <translation>适用范围：{area}</translation>
  </message>
  <message>
   <source>Beijing 1954</source>
   <translation>北京54</translation>
  </message>
  <message>
   <source>CGCS2000</source>
   <translation>国家2000</translation>
  </message>
  <message>
   <source>CGCS2000 geographic coordinates (longitude/latitude)</source>
   <translation>国家2000 地理坐标（经纬度）</translation>
  </message>
  <message>
   <source>Code</source>
   <translation>代码</translation>
  </message>
  <message>
   <source>Custom definition</source>
   <translation>自定义定义</translation>
  </message>
  <message>
   <source>Description</source>
   <translation>说明</translation>
  </message>
  <message>
   <source>Hong Kong 1980 Grid</source>
   <translation>香港 1980 方格网</translation>
  </message>
  <message>
   <source>Name</source>
   <translation>名称</translation>
  </message>
  <message>
   <source>New Beijing 1954</source>
   <translation>新北京54</translation>
  </message>
  <message>
   <source>No CRS chosen.</source>
   <translation>未选择坐标系。</translation>
  </message>
  <message>
   <source>Search: code, name, 国家2000, 3度带, 114 … or paste PROJ/WKT</source>
   <translation>搜索：代码、名称、国家2000、3度带、114 …，或粘贴 PROJ/WKT 定义</translation>
  </message>
  <message>
   <source>WGS 84 UTM zone {zone} north</source>
   <translation>WGS 84 UTM 北半球第 {zone} 带</translation>
  </message>
  <message>
   <source>WGS 84 geographic coordinates (GPS longitude/latitude)</source>
   <translation>WGS 84 地理坐标（GPS 经纬度）</translation>
  </message>
  <message>
   <source>Web Mercator (web map tiles)</source>
   <translation>Web 墨卡托（网络地图瓦片）</translation>
  </message>
  <message>
   <source>Xian 1980</source>
   <translation>西安80</translation>
  </message>
  <message>
   <source>custom</source>
   <translation>自定义</translation>
  </message>
  <message>
   <source>{datum} Gauss-Kruger {width}-degree zone {zone} (CM {cm}°E, zone number in the easting)</source>
   <translation>{datum} 高斯-克吕格 {width}度带 第{zone}带（中央经线 {cm}°E，横坐标带带号）</translation>
  </message>
  <message>
   <source>{datum} Gauss-Kruger {width}-degree zone, CM {cm}°E</source>
   <translation>{datum} 高斯-克吕格 {width}度带，中央经线 {cm}°E</translation>
  </message>
 </context>
 <context>
  <name>CrsDetailsDialog</name>
  <message>
   <source>Area of use:</source>
   <translation>适用范围：</translation>
  </message>
  <message>
   <source>CRS:</source>
   <translation>坐标系：</translation>
  </message>
  <message>
   <source>Coordinate reference system</source>
   <translation>坐标参考系</translation>
  </message>
  <message>
   <source>Surveying convention: X is the northing and Y the easting.</source>
   <translation>测量坐标约定：X 为北坐标（纵坐标），Y 为东坐标（横坐标）。</translation>
  </message>
  <message>
   <source>Units:</source>
   <translation>单位：</translation>
  </message>
 </context>
 <context>
  <name>DesignActions</name>
  <message>
   <source>Changed {fields} of {n} elements.</source>
   <translation>已修改 {n} 个元素的 {fields}。</translation>
  </message>
  <message>
   <source>Copied {n} elements.</source>
   <translation>已复制 {n} 个元素。</translation>
  </message>
  <message>
   <source>Delete {n} elements</source>
   <translation>删除 {n} 个元素</translation>
  </message>
  <message>
   <source>Deleted {n} elements (Ctrl+Z undoes).</source>
   <translation>已删除 {n} 个元素（Ctrl+Z 撤销）。</translation>
  </message>
  <message>
   <source>Edit {fields} of {n} elements</source>
   <translation>编辑 {n} 个元素的 {fields}</translation>
  </message>
  <message>
   <source>Pasted {n} elements.</source>
   <translation>已粘贴 {n} 个元素。</translation>
  </message>
  <message>
   <source>Select elements first (Design ▸ Select elements).</source>
   <translation>请先选择元素（设计 ▸ 选择元素）。</translation>
  </message>
  <message>
   <source>Select elements to copy first.</source>
   <translation>请先选择要复制的元素。</translation>
  </message>
  <message>
   <source>The clipboard holds no SmartGIS elements.</source>
   <translation>剪贴板中没有 SmartGIS 元素。</translation>
  </message>
 </context>
 <context>
  <name>DesignTools</name>
  <message>
   <source>Add the types of a catalog file to this project</source>
   <translation>将目录文件中的元素类型添加到本项目</translation>
  </message>
  <message>
   <source>Added element types: {ids}</source>
   <translation>已添加元素类型：{ids}</translation>
  </message>
  <message>
   <source>Batch layout…</source>
   <translation>批量布设…</translation>
  </message>
  <message>
   <source>Catalog files (*.json)</source>
   <translation>元素目录文件 (*.json)</translation>
  </message>
  <message>
   <source>Choose an element type in the palette first.</source>
   <translation>请先在元素面板中选择元素类型。</translation>
  </message>
  <message>
   <source>Click or drag a box; Shift adds; Delete, Ctrl+C/V, Enter edits attributes</source>
   <translation>单击或拖框选择；Shift 追加；Delete 删除，Ctrl+C/V 复制粘贴，回车编辑属性</translation>
  </message>
  <message>
   <source>Copy elements</source>
   <translation>复制元素</translation>
  </message>
  <message>
   <source>Copy the selected elements</source>
   <translation>复制选中的元素</translation>
  </message>
  <message>
   <source>Delete selected elements</source>
   <translation>删除选中元素</translation>
  </message>
  <message>
   <source>Delete the selected design elements</source>
   <translation>删除选中的设计元素</translation>
  </message>
  <message>
   <source>Design elements</source>
   <translation>设计元素</translation>
  </message>
  <message>
   <source>Drag an element or the selection; snaps to other features</source>
   <translation>拖动元素或选择集；可捕捉其他要素</translation>
  </message>
  <message>
   <source>Drag the handle of a camera's view to turn its azimuth</source>
   <translation>拖动摄像机视域的手柄以调整方位角</translation>
  </message>
  <message>
   <source>Drag, add (double-click an edge) and delete vertices of lines and areas</source>
   <translation>拖动、添加（双击边）和删除线、面的节点</translation>
  </message>
  <message>
   <source>Edit attributes of selected…</source>
   <translation>编辑选中元素属性…</translation>
  </message>
  <message>
   <source>Edit the attributes of every selected element at once</source>
   <translation>一次编辑所有选中元素的属性</translation>
  </message>
  <message>
   <source>Edit vertices</source>
   <translation>编辑节点</translation>
  </message>
  <message>
   <source>Element palette</source>
   <translation>元素面板</translation>
  </message>
  <message>
   <source>Import element types</source>
   <translation>导入元素类型</translation>
  </message>
  <message>
   <source>Import element types…</source>
   <translation>导入元素类型…</translation>
  </message>
  <message>
   <source>Move elements</source>
   <translation>移动元素</translation>
  </message>
  <message>
   <source>Paste copied elements at the mouse position</source>
   <translation>在鼠标位置粘贴复制的元素</translation>
  </message>
  <message>
   <source>Paste elements</source>
   <translation>粘贴元素</translation>
  </message>
  <message>
   <source>Place element</source>
   <translation>放置元素</translation>
  </message>
  <message>
   <source>Place many elements along lines, on a grid, at intersections, or link them</source>
   <translation>沿线、按网格、在交叉口批量布设元素，或建立连接</translation>
  </message>
  <message>
   <source>Place the type chosen in the element palette</source>
   <translation>放置在元素面板中选择的类型</translation>
  </message>
  <message>
   <source>Place {type}</source>
   <translation>放置{type}</translation>
  </message>
  <message>
   <source>Placed {n} elements (one undo step).</source>
   <translation>已布设 {n} 个元素（可一步撤销）。</translation>
  </message>
  <message>
   <source>Rotate camera view</source>
   <translation>旋转摄像机视域</translation>
  </message>
  <message>
   <source>Select elements</source>
   <translation>选择元素</translation>
  </message>
  <message>
   <source>Snap to vertices and edges of visible layers (hold Shift to place freely)</source>
   <translation>捕捉可见图层的节点和边（按住 Shift 自由放置）</translation>
  </message>
  <message>
   <source>Snapping</source>
   <translation>捕捉</translation>
  </message>
 </context>
 <context>
  <name>ElementPalette</name>
  <message>
   <source>Facilities</source>
   <translation>公共服务设施</translation>
  </message>
  <message>
   <source>Networks</source>
   <translation>网络管线</translation>
  </message>
  <message>
   <source>New elements take the type's default attributes; edit them later</source>
   <translation>新元素使用类型的默认属性，可稍后编辑</translation>
  </message>
  <message>
   <source>Pick a type, then click on the map. Lines and areas: click the vertices, double-click to finish, Backspace removes the last vertex, Esc cancels.</source>
   <translation>选择类型后在地图上单击放置。线和面：单击添加节点，双击结束，Backspace 删除上一个节点，Esc 取消。</translation>
  </message>
  <message>
   <source>Place without the attribute form</source>
   <translation>放置时不显示属性表单</translation>
  </message>
  <message>
   <source>Search types (中文 / English / id)</source>
   <translation>搜索类型（中文 / English / id）</translation>
  </message>
  <message>
   <source>Sensing and communication</source>
   <translation>感知与通信设施</translation>
  </message>
 </context>
 <context>
  <name>ExportSheetDialog</name>
  <message>
   <source>%1 %2 × %3 mm, scale 1:%4, grid %5 m</source>
   <translation>%1 图纸 %2 × %3 毫米，比例尺 1:%4，坐标网格 %5 米</translation>
  </message>
  <message>
   <source>All phases</source>
   <translation>全部期次</translation>
  </message>
  <message>
   <source>Also write a PNG</source>
   <translation>同时输出 PNG</translation>
  </message>
  <message>
   <source>Browse…</source>
   <translation>浏览…</translation>
  </message>
  <message>
   <source>Cover, drawing list and one sheet per theme, in one PDF</source>
   <translation>封面、图纸目录和每个专题一张图，合为一个 PDF</translation>
  </message>
  <message>
   <source>Current map view</source>
   <translation>当前地图视图</translation>
  </message>
  <message>
   <source>Date</source>
   <translation>日期</translation>
  </message>
  <message>
   <source>Export</source>
   <translation>导出</translation>
  </message>
  <message>
   <source>Export map sheet</source>
   <translation>导出成果图</translation>
  </message>
  <message>
   <source>Exporting map sheet</source>
   <translation>正在导出成果图</translation>
  </message>
  <message>
   <source>Extent</source>
   <translation>出图范围</translation>
  </message>
  <message>
   <source>Fit to extent</source>
   <translation>适合范围</translation>
  </message>
  <message>
   <source>Give a PDF file to write.</source>
   <translation>请指定要输出的 PDF 文件。</translation>
  </message>
  <message>
   <source>Landscape</source>
   <translation>横向</translation>
  </message>
  <message>
   <source>Map sheet written: %1</source>
   <translation>成果图已输出：%1</translation>
  </message>
  <message>
   <source>Orientation</source>
   <translation>方向</translation>
  </message>
  <message>
   <source>PDF file</source>
   <translation>PDF 文件</translation>
  </message>
  <message>
   <source>Paper</source>
   <translation>图纸</translation>
  </message>
  <message>
   <source>Phase</source>
   <translation>建设期次</translation>
  </message>
  <message>
   <source>Portrait</source>
   <translation>纵向</translation>
  </message>
  <message>
   <source>Preview</source>
   <translation>预览</translation>
  </message>
  <message>
   <source>Print check gaps (failed and warned rules)</source>
   <translation>打印检查缺口（仅不达标和预警条款）</translation>
  </message>
  <message>
   <source>Raster resolution</source>
   <translation>栅格分辨率</translation>
  </message>
  <message>
   <source>Save map sheet</source>
   <translation>保存成果图</translation>
  </message>
  <message>
   <source>Scale</source>
   <translation>比例尺</translation>
  </message>
  <message>
   <source>Sheet number</source>
   <translation>图号</translation>
  </message>
  <message>
   <source>Study area</source>
   <translation>研究范围</translation>
  </message>
  <message>
   <source>Theme</source>
   <translation>图纸专题</translation>
  </message>
  <message>
   <source>Title</source>
   <translation>图名</translation>
  </message>
  <message>
   <source>Visible layers</source>
   <translation>当前可见图层</translation>
  </message>
  <message>
   <source>Whole drawing set (one PDF)</source>
   <translation>整套图集（一个 PDF）</translation>
  </message>
  <message>
   <source>Whole project</source>
   <translation>全部数据</translation>
  </message>
 </context>
 <context>
  <name>FieldEditor</name>
  <message>
   <source>(several values)</source>
   <translation>（多个值）</translation>
  </message>
 </context>
 <context>
  <name>FileSafety</name>
  <message>
   <source>Project file</source>
   <translation>项目文件</translation>
  </message>
  <message>
   <source>{path} holds database objects SmartGIS does not know: {objects}. They are never run, and saving removes them from the file.</source>
   <translation>{path} 含有 SmartGIS 不认识的数据库对象：{objects}。它们永远不会被执行，保存时将从文件中删除。</translation>
  </message>
  <message>
   <source>{path} was changed on disk by another program. Saving here merges your design changes with theirs where they do not collide; open the file again to see their changes.</source>
   <translation>{path} 已在磁盘上被另一程序修改。在此保存时，若修改互不冲突，将把您的设计修改与对方的合并；重新打开文件可查看对方的修改。</translation>
  </message>
 </context>
 <context>
  <name>FiveG</name>
  <message>
   <source>5G coverage</source>
   <translation>5G 覆盖</translation>
  </message>
  <message>
   <source>5G coverage: {0} cells, {1:.2f} km² at RSRP ≥ {2:g} dBm ({3})</source>
   <translation>5G 覆盖：{0} 个小区，RSRP ≥ {2:g} dBm 覆盖 {1:.2f} km²（{3}）</translation>
  </message>
  <message>
   <source>Computing 5G coverage</source>
   <translation>正在计算 5G 覆盖</translation>
  </message>
  <message>
   <source>RSRP threshold (dBm):</source>
   <translation>RSRP 门限（dBm）：</translation>
  </message>
  <message>
   <source>flat ground</source>
   <translation>平坦地面</translation>
  </message>
  <message>
   <source>over the DEM</source>
   <translation>考虑地形</translation>
  </message>
 </context>
 <context>
  <name>IdentifyResults</name>
  <message>
   <source>Identify results</source>
   <translation>识别结果</translation>
  </message>
 </context>
 <context>
  <name>IdentifyResultsView</name>
  <message>
   <source>Feature</source>
   <translation>要素</translation>
  </message>
  <message>
   <source>Feature {fid}</source>
   <translation>要素 {fid}</translation>
  </message>
  <message>
   <source>Nothing found here</source>
   <translation>此处没有要素</translation>
  </message>
  <message>
   <source>Raster value</source>
   <translation>栅格值</translation>
  </message>
  <message>
   <source>Value</source>
   <translation>值</translation>
  </message>
 </context>
 <context>
  <name>ImportDialog</name>
  <message>
   <source>(from the file)</source>
   <translation>（取自文件）</translation>
  </message>
  <message>
   <source>(no non-ASCII text)</source>
   <translation>（无中文等非 ASCII 文本）</translation>
  </message>
  <message>
   <source>(the source's name)</source>
   <translation>（沿用数据源名称）</translation>
  </message>
  <message>
   <source>Automatic</source>
   <translation>自动识别</translation>
  </message>
  <message>
   <source>Basemap layers</source>
   <translation>底图图层</translation>
  </message>
  <message>
   <source>Browse…</source>
   <translation>浏览…</translation>
  </message>
  <message>
   <source>CRS</source>
   <translation>坐标系</translation>
  </message>
  <message>
   <source>Chosen: {label}</source>
   <translation>已指定：{label}</translation>
  </message>
  <message>
   <source>Coordinate reference system</source>
   <translation>坐标参考系</translation>
  </message>
  <message>
   <source>Design elements: facilities</source>
   <translation>设计要素：设施</translation>
  </message>
  <message>
   <source>Design elements: networks</source>
   <translation>设计要素：管线网络</translation>
  </message>
  <message>
   <source>Design elements: sensors</source>
   <translation>设计要素：感知设备</translation>
  </message>
  <message>
   <source>Detected: {label} — {detail}</source>
   <translation>识别结果：{label} — {detail}</translation>
  </message>
  <message>
   <source>EPSG code, PROJ string or WKT</source>
   <translation>EPSG 代码、PROJ 字符串或 WKT</translation>
  </message>
  <message>
   <source>Element type:</source>
   <translation>要素类型：</translation>
  </message>
  <message>
   <source>Encoding:</source>
   <translation>编码：</translation>
  </message>
  <message>
   <source>Features</source>
   <translation>要素数</translation>
  </message>
  <message>
   <source>Fixed by the format</source>
   <translation>由数据格式确定</translation>
  </message>
  <message>
   <source>GIS data ({patterns});;All files (*)</source>
   <translation>GIS 数据 ({patterns});;所有文件 (*)</translation>
  </message>
  <message>
   <source>Geometry</source>
   <translation>几何类型</translation>
  </message>
  <message>
   <source>Import</source>
   <translation>导入</translation>
  </message>
  <message>
   <source>Import as:</source>
   <translation>导入为：</translation>
  </message>
  <message>
   <source>Import data</source>
   <translation>导入数据</translation>
  </message>
  <message>
   <source>Keep Z values</source>
   <translation>保留 Z 值（高程）</translation>
  </message>
  <message>
   <source>Keep features without geometry</source>
   <translation>保留无几何的要素</translation>
  </message>
  <message>
   <source>Layer</source>
   <translation>图层</translation>
  </message>
  <message>
   <source>Layer name:</source>
   <translation>图层名称：</translation>
  </message>
  <message>
   <source>Layers</source>
   <translation>普通图层</translation>
  </message>
  <message>
   <source>Likely: {why}</source>
   <translation>可能为：{why}</translation>
  </message>
  <message>
   <source>One layer per geometry type when types are mixed</source>
   <translation>几何类型混合时按类型拆分为多个图层</translation>
  </message>
  <message>
   <source>Options</source>
   <translation>选项</translation>
  </message>
  <message>
   <source>Project CRS:</source>
   <translation>项目坐标系：</translation>
  </message>
  <message>
   <source>Salvage the intact part of a damaged file</source>
   <translation>抢救损坏文件中的完好部分</translation>
  </message>
  <message>
   <source>Sample:</source>
   <translation>文本示例：</translation>
  </message>
  <message>
   <source>Shapefile, zip, GeoPackage, DXF, CSV, GeoTIFF …</source>
   <translation>Shapefile、zip、GeoPackage、DXF、CSV、GeoTIFF …</translation>
  </message>
  <message>
   <source>Source CRS:</source>
   <translation>数据源坐标系：</translation>
  </message>
  <message>
   <source>Store rasters inside the project file</source>
   <translation>将栅格存入项目文件</translation>
  </message>
  <message>
   <source>Taken from the file.</source>
   <translation>取自文件。</translation>
  </message>
  <message>
   <source>Text encoding</source>
   <translation>文本编码</translation>
  </message>
  <message>
   <source>The source has no CRS; choose the one its coordinates are in.</source>
   <translation>数据源没有坐标系，请选择其坐标所用的坐标系。</translation>
  </message>
  <message>
   <source>none</source>
   <translation>无</translation>
  </message>
  <message>
   <source>{name}  (local system: {model} on {base})</source>
   <translation>{name}  （独立坐标系：{model}，基准 {base}）</translation>
  </message>
 </context>
 <context>
  <name>ImportFeature</name>
  <message>
   <source>Import data</source>
   <translation>导入数据</translation>
  </message>
  <message>
   <source>Import data…</source>
   <translation>导入数据…</translation>
  </message>
  <message>
   <source>Import failed</source>
   <translation>导入失败</translation>
  </message>
  <message>
   <source>Import it anyway? (Choose No and import again with the right CRS.)</source>
   <translation>仍然导入吗？（选择“否”，再用正确的坐标系重新导入。）</translation>
  </message>
  <message>
   <source>Import shapefiles, GeoPackages, DXF, CSV, rasters … into the project</source>
   <translation>将 Shapefile、GeoPackage、DXF、CSV、栅格等数据导入项目</translation>
  </message>
  <message>
   <source>Imported {n} design elements</source>
   <translation>已导入 {n} 个设计要素</translation>
  </message>
  <message>
   <source>Imported {n} layer(s), {features} features</source>
   <translation>已导入 {n} 个图层，{features} 个要素</translation>
  </message>
  <message>
   <source>Importing {name}</source>
   <translation>正在导入 {name}</translation>
  </message>
  <message>
   <source>Nothing was imported</source>
   <translation>未导入任何数据</translation>
  </message>
  <message>
   <source>Open or create a project before importing data.</source>
   <translation>请先打开或新建项目，再导入数据。</translation>
  </message>
  <message>
   <source>The imported data would not land where the project is.</source>
   <translation>导入的数据不会落在项目所在的位置。</translation>
  </message>
  <message>
   <source>The project is open for review (read-only); data cannot be imported.</source>
   <translation>项目以审查（只读）方式打开，不能导入数据。</translation>
  </message>
  <message>
   <source>{n} note(s) about the import; see the details.</source>
   <translation>本次导入有 {n} 条说明，详见详细信息。</translation>
  </message>
 </context>
 <context>
  <name>IndicatorFeature</name>
  <message>
   <source>Indicators</source>
   <translation>指标评价</translation>
  </message>
  <message>
   <source>Score indicators…</source>
   <translation>指标评价…</translation>
  </message>
  <message>
   <source>Score the city against GB/T 33356 or the MOHURD 2012 pilot index: 现状, targets per phase, maturity</source>
   <translation>按 GB/T 33356 或住建部 2012 试点指标体系评价城市：现状、各期目标、成熟度</translation>
  </message>
  <message>
   <source>Scoring indicators</source>
   <translation>正在评价指标</translation>
  </message>
  <message>
   <source>The project is open read-only: values cannot be entered.</source>
   <translation>项目以只读方式打开，不能填报数值。</translation>
  </message>
  <message>
   <source>{indicator}: value entered; save the project to keep it</source>
   <translation>{indicator}：已填报，保存项目后生效</translation>
  </message>
 </context>
 <context>
  <name>IndicatorPanel</name>
  <message>
   <source>Current</source>
   <translation>现状</translation>
  </message>
  <message>
   <source>Entered by hand: double-click 现状, the target or the evidence to edit</source>
   <translation>手工填报：双击现状、目标或依据进行编辑</translation>
  </message>
  <message>
   <source>Evidence</source>
   <translation>依据</translation>
  </message>
  <message>
   <source>Evidence: {evidence}</source>
   <translation>依据：{evidence}</translation>
  </message>
  <message>
   <source>Indicator</source>
   <translation>指标</translation>
  </message>
  <message>
   <source>Indicator system the city is scored against</source>
   <translation>城市评价所依据的指标体系</translation>
  </message>
  <message>
   <source>Maturity level of the domain</source>
   <translation>该一级指标的成熟度等级</translation>
  </message>
  <message>
   <source>Measure the map-derived indicators again and rescore</source>
   <translation>重新计算图上指标并评分</translation>
  </message>
  <message>
   <source>Measured on the map; select it to see its elements</source>
   <translation>由设计图计算；选中可在地图上查看相关元素</translation>
  </message>
  <message>
   <source>No project, or not scored yet.</source>
   <translation>没有项目，或尚未评分。</translation>
  </message>
  <message>
   <source>Phase</source>
   <translation>期次</translation>
  </message>
  <message>
   <source>Recalculate</source>
   <translation>重新计算</translation>
  </message>
  <message>
   <source>Reference value: weight or item not verified in a published copy</source>
   <translation>参考值：权重或指标未经正式出版文本核实</translation>
  </message>
  <message>
   <source>Score</source>
   <translation>得分</translation>
  </message>
  <message>
   <source>Score of this stage out of the domain's weight</source>
   <translation>本阶段得分（满分为该一级指标权重）</translation>
  </message>
  <message>
   <source>Stage whose targets and scores are shown</source>
   <translation>显示其目标值与得分的阶段</translation>
  </message>
  <message>
   <source>Target</source>
   <translation>目标</translation>
  </message>
  <message>
   <source>Unit</source>
   <translation>单位</translation>
  </message>
  <message>
   <source>Weight</source>
   <translation>权重</translation>
  </message>
  <message>
   <source>{edition}: {stage} {score} / {most} — {level}</source>
   <translation>{edition}：{stage} {score} / {most} — {level}</translation>
  </message>
 </context>
 <context>
  <name>LabelsWidget</name>
  <message>
   <source>Halo</source>
   <translation>光晕</translation>
  </message>
  <message>
   <source>Halo:</source>
   <translation>光晕：</translation>
  </message>
  <message>
   <source>Label field:</source>
   <translation>标注字段：</translation>
  </message>
  <message>
   <source>Show labels</source>
   <translation>显示标注</translation>
  </message>
  <message>
   <source>Text colour:</source>
   <translation>文字颜色：</translation>
  </message>
  <message>
   <source>Text size:</source>
   <translation>字号：</translation>
  </message>
  <message>
   <source>The layer has no attribute fields.</source>
   <translation>该图层没有属性字段。</translation>
  </message>
 </context>
 <context>
  <name>LayerPropertiesDialog</name>
  <message>
   <source>(none)</source>
   <translation>（无）</translation>
  </message>
  <message>
   <source>Available:</source>
   <translation>可用：</translation>
  </message>
  <message>
   <source>Bands:</source>
   <translation>波段数：</translation>
  </message>
  <message>
   <source>CRS:</source>
   <translation>坐标系：</translation>
  </message>
  <message>
   <source>Choose the field holding the land-use class (a GB 50137 code such as R2, B1, M1, or its name).</source>
   <translation>请选择记录用地性质的字段（GB 50137 用地代码如 R2、B1、M1，或用地名称）。</translation>
  </message>
  <message>
   <source>Data type:</source>
   <translation>数据类型：</translation>
  </message>
  <message>
   <source>Encoding:</source>
   <translation>编码：</translation>
  </message>
  <message>
   <source>Extent:</source>
   <translation>范围：</translation>
  </message>
  <message>
   <source>Features:</source>
   <translation>要素数：</translation>
  </message>
  <message>
   <source>Fields:</source>
   <translation>字段：</translation>
  </message>
  <message>
   <source>File:</source>
   <translation>文件：</translation>
  </message>
  <message>
   <source>Format:</source>
   <translation>格式：</translation>
  </message>
  <message>
   <source>General</source>
   <translation>常规</translation>
  </message>
  <message>
   <source>Imported from:</source>
   <translation>导入自：</translation>
  </message>
  <message>
   <source>Labels</source>
   <translation>标注</translation>
  </message>
  <message>
   <source>Land-use field:</source>
   <translation>用地性质字段：</translation>
  </message>
  <message>
   <source>Layer properties — {name}</source>
   <translation>图层属性 — {name}</translation>
  </message>
  <message>
   <source>Name:</source>
   <translation>名称：</translation>
  </message>
  <message>
   <source>No data value:</source>
   <translation>无数据值：</translation>
  </message>
  <message>
   <source>Opacity:</source>
   <translation>不透明度：</translation>
  </message>
  <message>
   <source>Overviews:</source>
   <translation>金字塔：</translation>
  </message>
  <message>
   <source>Population field:</source>
   <translation>人口字段：</translation>
  </message>
  <message>
   <source>Problem:</source>
   <translation>问题：</translation>
  </message>
  <message>
   <source>Raster</source>
   <translation>栅格</translation>
  </message>
  <message>
   <source>Role:</source>
   <translation>用途：</translation>
  </message>
  <message>
   <source>Size:</source>
   <translation>大小：</translation>
  </message>
  <message>
   <source>Source</source>
   <translation>数据源</translation>
  </message>
  <message>
   <source>Source layer:</source>
   <translation>源图层：</translation>
  </message>
  <message>
   <source>Style</source>
   <translation>样式</translation>
  </message>
  <message>
   <source>Table in the project file:</source>
   <translation>项目文件中的表：</translation>
  </message>
  <message>
   <source>The field holding each zone's land-use class: a GB 50137 code (R2, B1, M1 …) or its name (居住用地 …)</source>
   <translation>记录各地块用地性质的字段：GB 50137 用地代码（R2、B1、M1 等）或用地名称（居住用地等）</translation>
  </message>
  <message>
   <source>The field holding the number of people of each building, zone or point</source>
   <translation>记录每栋建筑、每个地块或每个点人口数的字段</translation>
  </message>
  <message>
   <source>The layer has no fields; a population layer needs the number of people of each feature.</source>
   <translation>图层没有字段；人口图层需要记录每个要素的人口数。</translation>
  </message>
  <message>
   <source>Type:</source>
   <translation>类型：</translation>
  </message>
  <message>
   <source>Unavailable: {error}</source>
   <translation>不可用：{error}</translation>
  </message>
  <message>
   <source>Vector ({geometry})</source>
   <translation>矢量（{geometry}）</translation>
  </message>
  <message>
   <source>What the layer represents for the standards checks</source>
   <translation>该图层在标准校核中代表的内容</translation>
  </message>
  <message>
   <source>Zones the standards recognise: {classes}</source>
   <translation>标准可识别的地块：{classes}</translation>
  </message>
  <message>
   <source>embedded in the project file</source>
   <translation>嵌入在项目文件中</translation>
  </message>
  <message>
   <source>no</source>
   <translation>否</translation>
  </message>
  <message>
   <source>none</source>
   <translation>无</translation>
  </message>
  <message>
   <source>unknown</source>
   <translation>未知</translation>
  </message>
  <message>
   <source>yes</source>
   <translation>是</translation>
  </message>
  <message>
   <source>{field} holds no positive numbers; the checks would find nobody</source>
   <translation>字段 {field} 中没有大于零的数值，检查时将视为无人口</translation>
  </message>
  <message>
   <source>{people} people in {n} features</source>
   <translation>{n} 个要素，共 {people} 人</translation>
  </message>
 </context>
 <context>
  <name>LayerRoles</name>
  <message>
   <source>Acoustic function zones</source>
   <translation>声环境功能区</translation>
  </message>
  <message>
   <source>Base map</source>
   <translation>底图</translation>
  </message>
  <message>
   <source>Buildings</source>
   <translation>建筑物</translation>
  </message>
  <message>
   <source>Built-up area</source>
   <translation>建成区</translation>
  </message>
  <message>
   <source>Hazardous sites</source>
   <translation>危险源</translation>
  </message>
  <message>
   <source>Key areas</source>
   <translation>重点区域</translation>
  </message>
  <message>
   <source>Land use</source>
   <translation>用地</translation>
  </message>
  <message>
   <source>Population</source>
   <translation>人口</translation>
  </message>
  <message>
   <source>Railways</source>
   <translation>铁路</translation>
  </message>
  <message>
   <source>Roads</source>
   <translation>道路</translation>
  </message>
  <message>
   <source>Sensitive sites</source>
   <translation>敏感点</translation>
  </message>
  <message>
   <source>Study area</source>
   <translation>规划范围</translation>
  </message>
  <message>
   <source>Water</source>
   <translation>水系</translation>
  </message>
  <message>
   <source>Waterlogging points</source>
   <translation>易涝点</translation>
  </message>
 </context>
 <context>
  <name>LayerTreeDock</name>
  <message>
   <source>Add group</source>
   <translation>添加组</translation>
  </message>
  <message>
   <source>Add subgroup</source>
   <translation>添加子组</translation>
  </message>
  <message>
   <source>Collapse all</source>
   <translation>全部折叠</translation>
  </message>
  <message>
   <source>Expand all</source>
   <translation>全部展开</translation>
  </message>
  <message>
   <source>Layers</source>
   <translation>图层</translation>
  </message>
  <message>
   <source>New group</source>
   <translation>新建组</translation>
  </message>
  <message>
   <source>Opacity</source>
   <translation>不透明度</translation>
  </message>
  <message>
   <source>Open attribute table</source>
   <translation>打开属性表</translation>
  </message>
  <message>
   <source>Properties…</source>
   <translation>属性…</translation>
  </message>
  <message>
   <source>Remove</source>
   <translation>移除</translation>
  </message>
  <message>
   <source>Remove group and its layers</source>
   <translation>移除组及其图层</translation>
  </message>
  <message>
   <source>Remove layers</source>
   <translation>移除图层</translation>
  </message>
  <message>
   <source>Remove the selected layers or groups (Del)</source>
   <translation>移除选中的图层或组（Del）</translation>
  </message>
  <message>
   <source>Remove {n} selected item(s) from the project? (Edit ▸ Undo brings them back.)</source>
   <translation>从项目中移除选中的 {n} 项？（可用“编辑 ▸ 撤销”恢复。）</translation>
  </message>
  <message>
   <source>Rename</source>
   <translation>重命名</translation>
  </message>
  <message>
   <source>Ungroup</source>
   <translation>取消分组</translation>
  </message>
  <message>
   <source>Zoom to layer</source>
   <translation>缩放至图层</translation>
  </message>
 </context>
 <context>
  <name>LayerTreeModel</name>
  <message>
   <source>Opacity {percent} %</source>
   <translation>不透明度 {percent} %</translation>
  </message>
  <message>
   <source>Problem: {error}</source>
   <translation>问题：{error}</translation>
  </message>
  <message>
   <source>Raster {width} × {height}, {bands} band(s)</source>
   <translation>栅格 {width} × {height}，{bands} 个波段</translation>
  </message>
  <message>
   <source>unavailable</source>
   <translation>不可用</translation>
  </message>
  <message>
   <source>{geometry}, {count} features</source>
   <translation>{geometry}，{count} 个要素</translation>
  </message>
 </context>
 <context>
  <name>LocalCrsFeature</name>
  <message>
   <source>Also show the cursor position in one of the project's local coordinate systems</source>
   <translation>同时显示光标在项目某一独立坐标系中的坐标</translation>
  </message>
  <message>
   <source>Fit a city grid (4, 6 or 7 parameters) to control points and keep it in the project</source>
   <translation>由控制点拟合城市独立坐标系（四、六或七参数）并保存在项目中</translation>
  </message>
  <message>
   <source>Grid: none</source>
   <translation>独立坐标：无</translation>
  </message>
  <message>
   <source>Grid: {name}</source>
   <translation>独立坐标：{name}</translation>
  </message>
  <message>
   <source>Local coordinate systems</source>
   <translation>独立坐标系</translation>
  </message>
  <message>
   <source>Local coordinate systems from control points…</source>
   <translation>由控制点求独立坐标系…</translation>
  </message>
  <message>
   <source>Open or create a project first.</source>
   <translation>请先打开或新建项目。</translation>
  </message>
 </context>
 <context>
  <name>MainWindow</name>
  <message>
   <source>&amp;About SmartGIS</source>
   <translation>关于 SmartGIS(&amp;A)</translation>
  </message>
  <message>
   <source>&amp;Analysis</source>
   <translation>分析(&amp;A)</translation>
  </message>
  <message>
   <source>&amp;Close project</source>
   <translation>关闭项目(&amp;C)</translation>
  </message>
  <message>
   <source>&amp;Delete selected features</source>
   <translation>删除所选要素(&amp;D)</translation>
  </message>
  <message>
   <source>&amp;Design</source>
   <translation>设计(&amp;D)</translation>
  </message>
  <message>
   <source>&amp;Edit</source>
   <translation>编辑(&amp;E)</translation>
  </message>
  <message>
   <source>&amp;Full screen</source>
   <translation>全屏(&amp;F)</translation>
  </message>
  <message>
   <source>&amp;Help</source>
   <translation>帮助(&amp;H)</translation>
  </message>
  <message>
   <source>&amp;Hide all layers</source>
   <translation>隐藏全部图层(&amp;H)</translation>
  </message>
  <message>
   <source>&amp;Invert selection</source>
   <translation>反向选择(&amp;I)</translation>
  </message>
  <message>
   <source>&amp;Keyboard shortcuts</source>
   <translation>快捷键(&amp;K)</translation>
  </message>
  <message>
   <source>&amp;Layer</source>
   <translation>图层(&amp;L)</translation>
  </message>
  <message>
   <source>&amp;New project…</source>
   <translation>新建项目(&amp;N)…</translation>
  </message>
  <message>
   <source>&amp;Open project…</source>
   <translation>打开项目(&amp;O)…</translation>
  </message>
  <message>
   <source>&amp;Options…</source>
   <translation>选项(&amp;O)…</translation>
  </message>
  <message>
   <source>&amp;Panels</source>
   <translation>面板(&amp;P)</translation>
  </message>
  <message>
   <source>&amp;Plugins</source>
   <translation>插件(&amp;G)</translation>
  </message>
  <message>
   <source>&amp;Project</source>
   <translation>项目(&amp;P)</translation>
  </message>
  <message>
   <source>&amp;Refresh</source>
   <translation>刷新(&amp;R)</translation>
  </message>
  <message>
   <source>&amp;Remove layer/group</source>
   <translation>移除图层/组(&amp;R)</translation>
  </message>
  <message>
   <source>&amp;Save</source>
   <translation>保存(&amp;S)</translation>
  </message>
  <message>
   <source>&amp;Settings</source>
   <translation>设置(&amp;S)</translation>
  </message>
  <message>
   <source>&amp;Show all layers</source>
   <translation>显示全部图层(&amp;S)</translation>
  </message>
  <message>
   <source>&amp;Toolbars</source>
   <translation>工具栏(&amp;T)</translation>
  </message>
  <message>
   <source>&amp;View</source>
   <translation>视图(&amp;V)</translation>
  </message>
  <message>
   <source>(no recent projects)</source>
   <translation>（没有最近打开的项目）</translation>
  </message>
  <message>
   <source>&lt;b&gt;SmartGIS {version}&lt;/b&gt;&lt;p&gt;Top-level design of smart cities: place sensors, networks and facilities on the map and check them against the standards.&lt;/p&gt;</source>
   <translation>&lt;b&gt;SmartGIS {version}&lt;/b&gt;&lt;p&gt;智慧城市顶层设计：在地图上布设感知设备、网络和设施，并按标准规范进行校核。&lt;/p&gt;</translation>
  </message>
  <message>
   <source>About SmartGIS</source>
   <translation>关于 SmartGIS</translation>
  </message>
  <message>
   <source>Action</source>
   <translation>操作</translation>
  </message>
  <message>
   <source>Add &amp;group</source>
   <translation>添加组(&amp;G)</translation>
  </message>
  <message>
   <source>Add a group to the layer tree</source>
   <translation>在图层树中添加一个组</translation>
  </message>
  <message>
   <source>Analysis</source>
   <translation>分析</translation>
  </message>
  <message>
   <source>Attributes</source>
   <translation>属性</translation>
  </message>
  <message>
   <source>Choose a vector layer in the layer tree first.</source>
   <translation>请先在图层树中选择一个矢量图层。</translation>
  </message>
  <message>
   <source>Clear list</source>
   <translation>清空列表</translation>
  </message>
  <message>
   <source>Clear the selection of every layer</source>
   <translation>清除所有图层的选择</translation>
  </message>
  <message>
   <source>Close the project (asks to save changes)</source>
   <translation>关闭项目（有未保存的修改时会询问）</translation>
  </message>
  <message>
   <source>Create a new project (name and coordinate reference system)</source>
   <translation>新建项目（名称和坐标参考系）</translation>
  </message>
  <message>
   <source>D&amp;eselect all</source>
   <translation>取消全部选择(&amp;E)</translation>
  </message>
  <message>
   <source>Delete the selected features of the current layer</source>
   <translation>删除当前图层中选中的要素</translation>
  </message>
  <message>
   <source>Design</source>
   <translation>设计</translation>
  </message>
  <message>
   <source>E&amp;xit</source>
   <translation>退出(&amp;X)</translation>
  </message>
  <message>
   <source>Features</source>
   <translation>功能模块</translation>
  </message>
  <message>
   <source>Interface language and other settings</source>
   <translation>界面语言及其他设置</translation>
  </message>
  <message>
   <source>Keyboard shortcuts</source>
   <translation>快捷键</translation>
  </message>
  <message>
   <source>Layer &amp;properties…</source>
   <translation>图层属性(&amp;P)…</translation>
  </message>
  <message>
   <source>Layer {name} could not be drawn: {error}</source>
   <translation>图层 {name} 无法绘制：{error}</translation>
  </message>
  <message>
   <source>Map &amp;tools</source>
   <translation>地图工具(&amp;T)</translation>
  </message>
  <message>
   <source>Map navigation</source>
   <translation>地图浏览</translation>
  </message>
  <message>
   <source>New project {name} ({crs})</source>
   <translation>新项目 {name}（{crs}）</translation>
  </message>
  <message>
   <source>Open &amp;attribute table</source>
   <translation>打开属性表(&amp;A)</translation>
  </message>
  <message>
   <source>Open &amp;recent</source>
   <translation>最近打开(&amp;R)</translation>
  </message>
  <message>
   <source>Open &amp;team project…</source>
   <translation>打开团队项目(&amp;T)…</translation>
  </message>
  <message>
   <source>Open a project file (.gpkg)</source>
   <translation>打开项目文件（.gpkg）</translation>
  </message>
  <message>
   <source>Open a project read-only, for review comments and sign-off</source>
   <translation>以只读方式打开项目，用于评审意见和签署</translation>
  </message>
  <message>
   <source>Open a team project on a PostGIS server (postgresql://USER@HOST/DB?schema=NAME)</source>
   <translation>打开 PostGIS 服务器上的团队项目（postgresql://USER@HOST/DB?schema=NAME）</translation>
  </message>
  <message>
   <source>Open for &amp;review…</source>
   <translation>以评审方式打开(&amp;R)…</translation>
  </message>
  <message>
   <source>Open project</source>
   <translation>打开项目</translation>
  </message>
  <message>
   <source>Open project for review</source>
   <translation>以评审方式打开项目</translation>
  </message>
  <message>
   <source>Opened {path}</source>
   <translation>已打开 {path}</translation>
  </message>
  <message>
   <source>Opening {name}</source>
   <translation>正在打开 {name}</translation>
  </message>
  <message>
   <source>Project</source>
   <translation>项目</translation>
  </message>
  <message>
   <source>Re&amp;view</source>
   <translation>评审(&amp;V)</translation>
  </message>
  <message>
   <source>Reading the attributes of {layer}</source>
   <translation>正在读取 {layer} 的属性</translation>
  </message>
  <message>
   <source>Redo</source>
   <translation>重做</translation>
  </message>
  <message>
   <source>Redraw the map</source>
   <translation>重新绘制地图</translation>
  </message>
  <message>
   <source>Remove the selected layers or groups from the project</source>
   <translation>从项目中移除选中的图层或组</translation>
  </message>
  <message>
   <source>Review</source>
   <translation>评审</translation>
  </message>
  <message>
   <source>Save &amp;as…</source>
   <translation>另存为(&amp;A)…</translation>
  </message>
  <message>
   <source>Save project as</source>
   <translation>项目另存为</translation>
  </message>
  <message>
   <source>Save the project</source>
   <translation>保存项目</translation>
  </message>
  <message>
   <source>Save the project to another file</source>
   <translation>将项目保存到另一个文件</translation>
  </message>
  <message>
   <source>Save them before continuing?</source>
   <translation>是否先保存？</translation>
  </message>
  <message>
   <source>Saved {path}</source>
   <translation>已保存 {path}</translation>
  </message>
  <message>
   <source>Saving {name}</source>
   <translation>正在保存 {name}</translation>
  </message>
  <message>
   <source>Select &amp;all features</source>
   <translation>选择全部要素(&amp;A)</translation>
  </message>
  <message>
   <source>Select every feature of the current layer</source>
   <translation>选择当前图层的全部要素</translation>
  </message>
  <message>
   <source>Select the unselected features of the current layer</source>
   <translation>选择当前图层中未选中的要素</translation>
  </message>
  <message>
   <source>Shortcut</source>
   <translation>快捷键</translation>
  </message>
  <message>
   <source>Show the attributes of the current layer</source>
   <translation>显示当前图层的属性</translation>
  </message>
  <message>
   <source>SmartGIS</source>
   <translation>SmartGIS</translation>
  </message>
  <message>
   <source>SmartGIS projects (*.gpkg)</source>
   <translation>SmartGIS 项目 (*.gpkg)</translation>
  </message>
  <message>
   <source>SmartGIS projects and GeoPackages (*.gpkg)</source>
   <translation>SmartGIS 项目和 GeoPackage 文件 (*.gpkg)</translation>
  </message>
  <message>
   <source>Some features failed to load: {names}</source>
   <translation>部分功能模块加载失败：{names}</translation>
  </message>
  <message>
   <source>Some features failed to load; the others work:
{details}</source>
   <translation>部分功能模块加载失败，其余功能可正常使用：
{details}</translation>
  </message>
  <message>
   <source>Some work is still running. Cancel it and close?</source>
   <translation>仍有任务正在运行。是否取消并关闭？</translation>
  </message>
  <message>
   <source>Style, labels and source of the current layer</source>
   <translation>当前图层的样式、标注和数据源</translation>
  </message>
  <message>
   <source>The new language applies when SmartGIS starts next.</source>
   <translation>新的界面语言将在下次启动 SmartGIS 时生效。</translation>
  </message>
  <message>
   <source>The project is open for review (read-only); it cannot be saved here.</source>
   <translation>项目以评审方式（只读）打开，不能在此保存。</translation>
  </message>
  <message>
   <source>The project {name} has unsaved changes.</source>
   <translation>项目 {name} 有未保存的修改。</translation>
  </message>
  <message>
   <source>Undo</source>
   <translation>撤销</translation>
  </message>
  <message>
   <source>Unexpected error: {error}</source>
   <translation>意外错误：{error}</translation>
  </message>
  <message>
   <source>Unsaved changes</source>
   <translation>未保存的修改</translation>
  </message>
  <message>
   <source>Work in progress</source>
   <translation>任务进行中</translation>
  </message>
  <message>
   <source>Zoom &amp;full</source>
   <translation>全图显示(&amp;F)</translation>
  </message>
  <message>
   <source>Zoom &amp;in</source>
   <translation>放大(&amp;I)</translation>
  </message>
  <message>
   <source>Zoom &amp;out</source>
   <translation>缩小(&amp;O)</translation>
  </message>
  <message>
   <source>Zoom in</source>
   <translation>放大</translation>
  </message>
  <message>
   <source>Zoom out</source>
   <translation>缩小</translation>
  </message>
  <message>
   <source>Zoom to &amp;layer</source>
   <translation>缩放至图层(&amp;L)</translation>
  </message>
  <message>
   <source>Zoom to &amp;selection</source>
   <translation>缩放至所选要素(&amp;S)</translation>
  </message>
  <message>
   <source>Zoom to the extent of all layers</source>
   <translation>缩放到全部图层的范围</translation>
  </message>
  <message>
   <source>Zoom to the extent of the current layer</source>
   <translation>缩放到当前图层的范围</translation>
  </message>
  <message>
   <source>Zoom to the selected features</source>
   <translation>缩放到选中的要素</translation>
  </message>
  <message>
   <source>[review, read-only]</source>
   <translation>[评审，只读]</translation>
  </message>
  <message>
   <source>{title}: cancelled; nothing was changed.</source>
   <translation>{title}：已取消，未做任何修改。</translation>
  </message>
 </context>
 <context>
  <name>MapCanvas</name>
  <message>
   <source>Layer “{name}” could not be drawn: {message}</source>
   <translation>图层“{name}”无法绘制：{message}</translation>
  </message>
 </context>
 <context>
  <name>MapStatusBar</name>
  <message>
   <source>Click for details</source>
   <translation>点击查看详情</translation>
  </message>
  <message>
   <source>Cursor position in CGCS2000 longitude/latitude (EPSG:4490)</source>
   <translation>光标位置的 CGCS2000 经纬度（EPSG:4490）</translation>
  </message>
  <message>
   <source>Cursor position in the local coordinate system {name}</source>
   <translation>光标在独立坐标系 {name} 中的位置</translation>
  </message>
  <message>
   <source>Cursor position in the project CRS</source>
   <translation>光标在项目坐标系中的位置</translation>
  </message>
  <message>
   <source>Custom CRS</source>
   <translation>自定义坐标系</translation>
  </message>
  <message>
   <source>E {easting}  N {northing}</source>
   <translation>E {easting}  N {northing}</translation>
  </message>
  <message>
   <source>Map scale: type 1:N and press Enter</source>
   <translation>地图比例尺：输入 1:N 后按回车</translation>
  </message>
  <message>
   <source>No CRS</source>
   <translation>无坐标系</translation>
  </message>
  <message>
   <source>Rendered in {seconds} s</source>
   <translation>绘制耗时 {seconds} 秒</translation>
  </message>
  <message>
   <source>Scale</source>
   <translation>比例尺</translation>
  </message>
  <message>
   <source>Surveying convention: X is the northing, Y the easting.</source>
   <translation>测量坐标约定：X 为北坐标（纵坐标），Y 为东坐标（横坐标）。</translation>
  </message>
  <message>
   <source>X {northing}  Y {easting}</source>
   <translation>X {northing}  Y {easting}</translation>
  </message>
  <message>
   <source>{features} features drawn</source>
   <translation>已绘制 {features} 个要素</translation>
  </message>
  <message>
   <source>{name}: x {x}  y {y}</source>
   <translation>{name}：x {x}  y {y}</translation>
  </message>
 </context>
 <context>
  <name>MapTools</name>
  <message>
   <source>Click a feature to see its attributes</source>
   <translation>点击要素查看其属性</translation>
  </message>
  <message>
   <source>Click or drag a box to select features of the current layer</source>
   <translation>点击或拉框选择当前图层的要素</translation>
  </message>
  <message>
   <source>Click points; double-click to finish (planar and on the CGCS2000 ellipsoid)</source>
   <translation>依次点击各点，双击结束（平面距离及 CGCS2000 椭球面距离）</translation>
  </message>
  <message>
   <source>Click the corners; double-click to finish (planar and on the CGCS2000 ellipsoid)</source>
   <translation>依次点击各顶点，双击结束（平面面积及 CGCS2000 椭球面面积）</translation>
  </message>
  <message>
   <source>Drag a box to zoom into it</source>
   <translation>拖出一个矩形框放大到该范围</translation>
  </message>
  <message>
   <source>Drag the map (arrow keys pan too)</source>
   <translation>拖动地图（也可用方向键平移）</translation>
  </message>
  <message>
   <source>Identify features</source>
   <translation>识别要素</translation>
  </message>
  <message>
   <source>Measure area</source>
   <translation>测量面积</translation>
  </message>
  <message>
   <source>Measure distance</source>
   <translation>测量距离</translation>
  </message>
  <message>
   <source>Pan</source>
   <translation>平移</translation>
  </message>
  <message>
   <source>Select features</source>
   <translation>选择要素</translation>
  </message>
  <message>
   <source>Zoom by box</source>
   <translation>拉框放大</translation>
  </message>
 </context>
 <context>
  <name>MeasureTool</name>
  <message>
   <source>Area: {value}</source>
   <translation>面积：{value}</translation>
  </message>
  <message>
   <source>Distance: {value}</source>
   <translation>距离：{value}</translation>
  </message>
  <message>
   <source>On the CGCS2000 ellipsoid: {value}</source>
   <translation>CGCS2000 椭球面上：{value}</translation>
  </message>
 </context>
 <context>
  <name>MoveTool</name>
  <message>
   <source>Move elements: drag an element (or the selection it is in); it snaps to other features. Shift: no snapping. Esc cancels.</source>
   <translation>移动元素：拖动元素（或其所在的选择集），可捕捉其他要素。按住 Shift 不捕捉，Esc 取消。</translation>
  </message>
  <message>
   <source>Move {n} elements</source>
   <translation>移动 {n} 个元素</translation>
  </message>
  <message>
   <source>Moved {n} elements by {d:.2f} m</source>
   <translation>已将 {n} 个元素移动 {d:.2f} 米</translation>
  </message>
 </context>
 <context>
  <name>NewProjectDialog</name>
  <message>
   <source>Coordinate reference system (projected, in metres)</source>
   <translation>坐标参考系（投影坐标系，单位为米）</translation>
  </message>
  <message>
   <source>Create</source>
   <translation>创建</translation>
  </message>
  <message>
   <source>Description:</source>
   <translation>说明：</translation>
  </message>
  <message>
   <source>Design institute:</source>
   <translation>设计单位：</translation>
  </message>
  <message>
   <source>Designer:</source>
   <translation>设计人：</translation>
  </message>
  <message>
   <source>Name:</source>
   <translation>名称：</translation>
  </message>
  <message>
   <source>New project</source>
   <translation>新建项目</translation>
  </message>
  <message>
   <source>Untitled project</source>
   <translation>未命名项目</translation>
  </message>
 </context>
 <context>
  <name>PhaseDialog</name>
  <message>
   <source>Goal</source>
   <translation>阶段目标</translation>
  </message>
  <message>
   <source>Name</source>
   <translation>名称</translation>
  </message>
  <message>
   <source>New phase</source>
   <translation>新建建设阶段</translation>
  </message>
  <message>
   <source>Years</source>
   <translation>年份</translation>
  </message>
  <message>
   <source>近期, 中期, 远期 or 一期, 二期 …</source>
   <translation>近期、中期、远期或一期、二期……</translation>
  </message>
 </context>
 <context>
  <name>PhaseTable</name>
  <message>
   <source>After</source>
   <translation>阶段</translation>
  </message>
  <message>
   <source>By phase of the plan:</source>
   <translation>按规划阶段：</translation>
  </message>
  <message>
   <source>Check each phase</source>
   <translation>分阶段检查</translation>
  </message>
  <message>
   <source>Check the city after each phase: existing elements and those built up to it</source>
   <translation>检查每个阶段实施后的城市：现状要素及截至该阶段建成的要素</translation>
  </message>
  <message>
   <source>Checking each phase</source>
   <translation>正在分阶段检查</translation>
  </message>
  <message>
   <source>Elements</source>
   <translation>要素数</translation>
  </message>
  <message>
   <source>Fail</source>
   <translation>不达标</translation>
  </message>
  <message>
   <source>Met</source>
   <translation>达标率</translation>
  </message>
  <message>
   <source>Pass</source>
   <translation>达标</translation>
  </message>
  <message>
   <source>Warn</source>
   <translation>未达推荐值</translation>
  </message>
 </context>
 <context>
  <name>PlacePointTool</name>
  <message>
   <source>Placed {type} ({n} in the design)</source>
   <translation>已放置{type}（方案中共 {n} 个）</translation>
  </message>
  <message>
   <source>Placing {type}: {hint}. Esc stops.</source>
   <translation>正在放置{type}：{hint}。Esc 结束。</translation>
  </message>
  <message>
   <source>The project is open read-only; elements cannot be placed.</source>
   <translation>项目以只读方式打开，不能放置元素。</translation>
  </message>
  <message>
   <source>click to place</source>
   <translation>单击放置</translation>
  </message>
  <message>
   <source>click to place; drag to set the direction</source>
   <translation>单击放置，拖动设定朝向</translation>
  </message>
 </context>
 <context>
  <name>PlanFeature</name>
  <message>
   <source>&amp;Plan</source>
   <translation>规划(&amp;P)</translation>
  </message>
  <message>
   <source>Plan</source>
   <translation>规划</translation>
  </message>
  <message>
   <source>Plan panel</source>
   <translation>规划面板</translation>
  </message>
  <message>
   <source>Word document (*.docx)</source>
   <translation>Word 文档 (*.docx)</translation>
  </message>
  <message>
   <source>Write design report</source>
   <translation>生成顶层设计文本</translation>
  </message>
  <message>
   <source>Write design report (Word, Excel)…</source>
   <translation>生成顶层设计文本（Word、Excel）…</translation>
  </message>
  <message>
   <source>Writing the design report</source>
   <translation>正在生成顶层设计文本</translation>
  </message>
  <message>
   <source>Wrote %1 and %2</source>
   <translation>已写入 %1 和 %2</translation>
  </message>
 </context>
 <context>
  <name>PlanPanel</name>
  <message>
   <source>%1 elements assigned to %2</source>
   <translation>已将 %1 个要素归入 %2</translation>
  </message>
  <message>
   <source>Add a phase first.</source>
   <translation>请先添加建设阶段。</translation>
  </message>
  <message>
   <source>Add phase…</source>
   <translation>添加阶段…</translation>
  </message>
  <message>
   <source>Add project…</source>
   <translation>添加项目…</translation>
  </message>
  <message>
   <source>Architecture</source>
   <translation>总体架构</translation>
  </message>
  <message>
   <source>Assign selection</source>
   <translation>归入所选要素</translation>
  </message>
  <message>
   <source>Assign the selected design elements to the project chosen above</source>
   <translation>将地图上选中的设计要素归入上方选中的重点项目</translation>
  </message>
  <message>
   <source>Choose a key project in the list first.</source>
   <translation>请先在列表中选择一个重点项目。</translation>
  </message>
  <message>
   <source>City after:</source>
   <translation>城市建设至：</translation>
  </message>
  <message>
   <source>Investment (万元)</source>
   <translation>投资（万元）</translation>
  </message>
  <message>
   <source>Layer</source>
   <translation>架构层级</translation>
  </message>
  <message>
   <source>No unit cost: %1</source>
   <translation>缺少单价：%1</translation>
  </message>
  <message>
   <source>Not in a project: %1</source>
   <translation>未归入重点项目：%1</translation>
  </message>
  <message>
   <source>Phase / project</source>
   <translation>阶段 / 项目</translation>
  </message>
  <message>
   <source>Plan</source>
   <translation>规划</translation>
  </message>
  <message>
   <source>Projects</source>
   <translation>重点项目</translation>
  </message>
  <message>
   <source>Select design elements on the map first.</source>
   <translation>请先在地图上选择设计要素。</translation>
  </message>
  <message>
   <source>Timeline</source>
   <translation>实施进度</translation>
  </message>
  <message>
   <source>Total investment: %1 万元</source>
   <translation>总投资：%1 万元</translation>
  </message>
  <message>
   <source>today (existing)</source>
   <translation>现状</translation>
  </message>
 </context>
 <context>
  <name>PluginManagerDialog</name>
  <message>
   <source>Author</source>
   <translation>作者</translation>
  </message>
  <message>
   <source>Contributes</source>
   <translation>提供内容</translation>
  </message>
  <message>
   <source>Folder</source>
   <translation>文件夹</translation>
  </message>
  <message>
   <source>Found in</source>
   <translation>来源</translation>
  </message>
  <message>
   <source>Look for plugins again</source>
   <translation>重新查找插件</translation>
  </message>
  <message>
   <source>Name</source>
   <translation>名称</translation>
  </message>
  <message>
   <source>Needs SmartGIS</source>
   <translation>最低 SmartGIS 版本</translation>
  </message>
  <message>
   <source>Plugin</source>
   <translation>插件</translation>
  </message>
  <message>
   <source>Plugin API</source>
   <translation>插件接口版本</translation>
  </message>
  <message>
   <source>Plugins</source>
   <translation>插件</translation>
  </message>
  <message>
   <source>Plugins are loaded only from the plugin folders and installed packages, never from a project file.</source>
   <translation>插件只从插件文件夹和已安装的软件包加载，从不从项目文件加载。</translation>
  </message>
  <message>
   <source>Problem</source>
   <translation>问题</translation>
  </message>
  <message>
   <source>SMARTGIS_PLUGIN_PATH</source>
   <translation>SMARTGIS_PLUGIN_PATH 路径</translation>
  </message>
  <message>
   <source>State</source>
   <translation>状态</translation>
  </message>
  <message>
   <source>Version</source>
   <translation>版本</translation>
  </message>
  <message>
   <source>disabled</source>
   <translation>已停用</translation>
  </message>
  <message>
   <source>enabled</source>
   <translation>已启用</translation>
  </message>
  <message>
   <source>failed</source>
   <translation>出错</translation>
  </message>
  <message>
   <source>incompatible</source>
   <translation>不兼容</translation>
  </message>
  <message>
   <source>installed package</source>
   <translation>已安装的 Python 包</translation>
  </message>
  <message>
   <source>invalid</source>
   <translation>无效</translation>
  </message>
  <message>
   <source>shipped</source>
   <translation>随软件提供</translation>
  </message>
  <message>
   <source>user folder</source>
   <translation>用户插件文件夹</translation>
  </message>
 </context>
 <context>
  <name>PluginUi</name>
  <message>
   <source>From the plugin {0}</source>
   <translation>来自插件 {0}</translation>
  </message>
  <message>
   <source>Manage plugins…</source>
   <translation>管理插件…</translation>
  </message>
 </context>
 <context>
  <name>ProjectDialog</name>
  <message>
   <source>(from its elements)</source>
   <translation>（按其要素确定）</translation>
  </message>
  <message>
   <source>Architecture layer</source>
   <translation>架构层级</translation>
  </message>
  <message>
   <source>Funding</source>
   <translation>资金来源</translation>
  </message>
  <message>
   <source>Id</source>
   <translation>编号</translation>
  </message>
  <message>
   <source>Lead department</source>
   <translation>牵头单位</translation>
  </message>
  <message>
   <source>Name</source>
   <translation>名称</translation>
  </message>
  <message>
   <source>New key project</source>
   <translation>新建重点项目</translation>
  </message>
  <message>
   <source>Phase</source>
   <translation>建设期次</translation>
  </message>
  <message>
   <source>Supporting departments</source>
   <translation>配合单位</translation>
  </message>
  <message>
   <source>departments, separated by commas</source>
   <translation>多个单位用逗号分隔</translation>
  </message>
 </context>
 <context>
  <name>RadarChart</name>
  <message>
   <source>No domains to chart</source>
   <translation>没有可绘制的一级指标</translation>
  </message>
 </context>
 <context>
  <name>RasterStyleWidget</name>
  <message>
   <source>Band:</source>
   <translation>波段：</translation>
  </message>
  <message>
   <source>Blue band:</source>
   <translation>蓝波段：</translation>
  </message>
  <message>
   <source>Colour ramp:</source>
   <translation>色带：</translation>
  </message>
  <message>
   <source>Green band:</source>
   <translation>绿波段：</translation>
  </message>
  <message>
   <source>Greys</source>
   <translation>灰度</translation>
  </message>
  <message>
   <source>Hillshade (elevation model)</source>
   <translation>山体阴影（高程模型）</translation>
  </message>
  <message>
   <source>Light altitude:</source>
   <translation>光源高度角：</translation>
  </message>
  <message>
   <source>Light azimuth:</source>
   <translation>光源方位角：</translation>
  </message>
  <message>
   <source>Min – max:</source>
   <translation>最小值 – 最大值：</translation>
  </message>
  <message>
   <source>One band through a colour ramp</source>
   <translation>单波段色带渲染</translation>
  </message>
  <message>
   <source>RGB colour (three bands)</source>
   <translation>RGB 彩色（三个波段）</translation>
  </message>
  <message>
   <source>Red band:</source>
   <translation>红波段：</translation>
  </message>
  <message>
   <source>Render type:</source>
   <translation>渲染方式：</translation>
  </message>
  <message>
   <source>Spectral</source>
   <translation>光谱</translation>
  </message>
  <message>
   <source>Stretch from the statistics</source>
   <translation>按统计值拉伸</translation>
  </message>
  <message>
   <source>Terrain</source>
   <translation>地形</translation>
  </message>
  <message>
   <source>This raster has only {n} band(s).</source>
   <translation>该栅格只有 {n} 个波段。</translation>
  </message>
  <message>
   <source>Vertical exaggeration:</source>
   <translation>垂直夸大系数：</translation>
  </message>
  <message>
   <source>Viridis</source>
   <translation>Viridis</translation>
  </message>
 </context>
 <context>
  <name>ResidualArrowsTool</name>
  <message>
   <source>Residual arrows ×{factor}</source>
   <translation>残差箭头放大 {factor} 倍</translation>
  </message>
 </context>
 <context>
  <name>ReviewFeature</name>
  <message>
   <source>Add comment on the map</source>
   <translation>在地图上添加意见</translation>
  </message>
  <message>
   <source>Choose a new file: the project itself is not changed.</source>
   <translation>请选择新文件：打包不会修改项目本身。</translation>
  </message>
  <message>
   <source>Click on the map or on an element to pin a review comment</source>
   <translation>在地图上或要素上单击，标注审查意见</translation>
  </message>
  <message>
   <source>Export map sheet…</source>
   <translation>导出成果图…</translation>
  </message>
  <message>
   <source>Package project</source>
   <translation>打包项目</translation>
  </message>
  <message>
   <source>Package project…</source>
   <translation>打包项目…</translation>
  </message>
  <message>
   <source>Packaged into %1 (%2 raster(s) embedded)</source>
   <translation>已打包至 %1（嵌入 %2 个栅格）</translation>
  </message>
  <message>
   <source>Packaging project</source>
   <translation>正在打包项目</translation>
  </message>
  <message>
   <source>Review</source>
   <translation>审查</translation>
  </message>
  <message>
   <source>Review panel</source>
   <translation>审查意见面板</translation>
  </message>
  <message>
   <source>Sign off…</source>
   <translation>审查签署…</translation>
  </message>
  <message>
   <source>SmartGIS project (*.gpkg)</source>
   <translation>SmartGIS 项目 (*.gpkg)</translation>
  </message>
  <message>
   <source>The package is made from the saved project file; save your changes first to include them.</source>
   <translation>打包基于已保存的项目文件；如需包含当前修改，请先保存。</translation>
  </message>
  <message>
   <source>Write a copy of the project with its rasters embedded, so one file carries everything</source>
   <translation>将栅格数据嵌入项目副本，一个文件即包含全部内容</translation>
  </message>
 </context>
 <context>
  <name>ReviewPanel</name>
  <message>
   <source>#</source>
   <translation>编号</translation>
  </message>
  <message>
   <source>%1 comment(s): %2 open, %3 resolved</source>
   <translation>共 %1 条意见：%2 条未解决，%3 条已解决</translation>
  </message>
  <message>
   <source>(the design has changed since)</source>
   <translation>（此后设计方案已修改）</translation>
  </message>
  <message>
   <source>Add comment</source>
   <translation>添加意见</translation>
  </message>
  <message>
   <source>All comments</source>
   <translation>全部意见</translation>
  </message>
  <message>
   <source>Answer</source>
   <translation>答复</translation>
  </message>
  <message>
   <source>Approve</source>
   <translation>通过</translation>
  </message>
  <message>
   <source>Author</source>
   <translation>提出人</translation>
  </message>
  <message>
   <source>Click on the map (or on an element) to pin a comment</source>
   <translation>在地图上（或要素上）单击以标注意见</translation>
  </message>
  <message>
   <source>Comment</source>
   <translation>意见</translation>
  </message>
  <message>
   <source>Comments of the reviewers: resolve them with an answer.</source>
   <translation>审查专家意见：请逐条答复并标记解决。</translation>
  </message>
  <message>
   <source>How was %1 resolved?</source>
   <translation>%1 的处理情况：</translation>
  </message>
  <message>
   <source>Not signed off yet.</source>
   <translation>尚未签署审查结论。</translation>
  </message>
  <message>
   <source>Open</source>
   <translation>未解决</translation>
  </message>
  <message>
   <source>Open a project to see its review comments.</source>
   <translation>打开项目后可查看审查意见。</translation>
  </message>
  <message>
   <source>Pinned to</source>
   <translation>标注位置</translation>
  </message>
  <message>
   <source>Reject</source>
   <translation>不通过</translation>
  </message>
  <message>
   <source>Reopen</source>
   <translation>重新打开</translation>
  </message>
  <message>
   <source>Resolve comment</source>
   <translation>解决意见</translation>
  </message>
  <message>
   <source>Resolved</source>
   <translation>已解决</translation>
  </message>
  <message>
   <source>Resolve…</source>
   <translation>解决…</translation>
  </message>
  <message>
   <source>Review</source>
   <translation>审查</translation>
  </message>
  <message>
   <source>Review mode: the design is read-only; comments and sign-offs are saved into the project file.</source>
   <translation>审查模式：设计方案只读，审查意见与签署保存在项目文件中。</translation>
  </message>
  <message>
   <source>Revise and resubmit</source>
   <translation>修改后再审</translation>
  </message>
  <message>
   <source>Saving review comments</source>
   <translation>正在保存审查意见</translation>
  </message>
  <message>
   <source>Sign off…</source>
   <translation>审查签署…</translation>
  </message>
  <message>
   <source>Sign-off: %1 by %2 on %3</source>
   <translation>审查结论：%1（%2，%3）</translation>
  </message>
  <message>
   <source>Status</source>
   <translation>状态</translation>
  </message>
 </context>
 <context>
  <name>RotateTool</name>
  <message>
   <source>Azimuth {az:.1f}°</source>
   <translation>方位角 {az:.1f}°</translation>
  </message>
  <message>
   <source>Rotate: drag the round handle at the end of a camera's view (Shift: 15° steps).</source>
   <translation>旋转：拖动摄像机视域末端的圆形手柄（按住 Shift 以 15° 步进）。</translation>
  </message>
  <message>
   <source>Turn {type} to {az:.0f}°</source>
   <translation>将{type}转到 {az:.0f}°</translation>
  </message>
 </context>
 <context>
  <name>SelectTool</name>
  <message>
   <source>Nothing selected</source>
   <translation>未选择任何元素</translation>
  </message>
  <message>
   <source>Select elements: click, Shift+click to add, drag a box. Delete, Ctrl+C, Ctrl+V, Enter edits the attributes.</source>
   <translation>选择元素：单击选择，Shift+单击追加，拖框选择。Delete 删除，Ctrl+C/Ctrl+V 复制粘贴，回车编辑属性。</translation>
  </message>
  <message>
   <source>{n} elements selected</source>
   <translation>已选择 {n} 个元素</translation>
  </message>
 </context>
 <context>
  <name>SettingsDialog</name>
  <message>
   <source>A new language applies the next time SmartGIS starts.</source>
   <translation>新的界面语言将在下次启动 SmartGIS 时生效。</translation>
  </message>
  <message>
   <source>Follow the system ({language})</source>
   <translation>跟随系统（{language}）</translation>
  </message>
  <message>
   <source>Interface language:</source>
   <translation>界面语言：</translation>
  </message>
  <message>
   <source>Settings</source>
   <translation>设置</translation>
  </message>
 </context>
 <context>
  <name>SignOffDialog</name>
  <message>
   <source>%n comment(s) still open.</source>
   <translation>尚有 %n 条意见未解决。</translation>
  </message>
  <message>
   <source>Approve</source>
   <translation>通过</translation>
  </message>
  <message>
   <source>Date</source>
   <translation>日期</translation>
  </message>
  <message>
   <source>Decision</source>
   <translation>审查结论</translation>
  </message>
  <message>
   <source>Note</source>
   <translation>说明</translation>
  </message>
  <message>
   <source>Opinion of the review (shown in the title block of map sheets)</source>
   <translation>审查意见（显示在出图标题栏中）</translation>
  </message>
  <message>
   <source>Please give the reviewer's name.</source>
   <translation>请填写审查人姓名。</translation>
  </message>
  <message>
   <source>Reject</source>
   <translation>不通过</translation>
  </message>
  <message>
   <source>Reviewer</source>
   <translation>审查人</translation>
  </message>
  <message>
   <source>Reviewer's name</source>
   <translation>审查人姓名</translation>
  </message>
  <message>
   <source>Revise and resubmit</source>
   <translation>修改后再审</translation>
  </message>
  <message>
   <source>Sign off</source>
   <translation>签署</translation>
  </message>
  <message>
   <source>Sign off the design</source>
   <translation>审查签署</translation>
  </message>
 </context>
 <context>
  <name>SketchTool</name>
  <message>
   <source>A {what} needs at least {n} vertices.</source>
   <translation>{what}至少需要 {n} 个节点。</translation>
  </message>
  <message>
   <source>Drawing cancelled.</source>
   <translation>已取消绘制。</translation>
  </message>
  <message>
   <source>Drawing {type}: click the vertices, double-click or Enter to finish, Backspace removes the last vertex, Esc cancels.</source>
   <translation>绘制{type}：单击添加节点，双击或回车结束，Backspace 删除上一个节点，Esc 取消。</translation>
  </message>
  <message>
   <source>Placed {type} ({n} in the design)</source>
   <translation>已放置{type}（方案中共 {n} 个）</translation>
  </message>
  <message>
   <source>The outline crosses itself; move or remove a vertex (Backspace).</source>
   <translation>边界自相交，请移动或删除节点（Backspace）。</translation>
  </message>
  <message>
   <source>The project is open read-only; elements cannot be placed.</source>
   <translation>项目以只读方式打开，不能放置元素。</translation>
  </message>
  <message>
   <source>line</source>
   <translation>线</translation>
  </message>
  <message>
   <source>polygon</source>
   <translation>面</translation>
  </message>
 </context>
 <context>
  <name>StartPage</name>
  <message>
   <source>(no recent projects)</source>
   <translation>（没有最近的项目）</translation>
  </message>
  <message>
   <source>Import data into a new project…</source>
   <translation>新建项目并导入数据…</translation>
  </message>
  <message>
   <source>New project…</source>
   <translation>新建项目…</translation>
  </message>
  <message>
   <source>Open a project, start from the sample district, or create a new project and import the surveyors' data.</source>
   <translation>打开项目、从示例新区开始，或新建项目并导入测绘资料。</translation>
  </message>
  <message>
   <source>Open project…</source>
   <translation>打开项目…</translation>
  </message>
  <message>
   <source>Open the sample project (龙泉湖新区)</source>
   <translation>打开示例项目（龙泉湖新区）</translation>
  </message>
  <message>
   <source>Recent projects</source>
   <translation>最近的项目</translation>
  </message>
  <message>
   <source>SmartGIS — top-level design of smart cities</source>
   <translation>SmartGIS — 智慧城市顶层设计</translation>
  </message>
 </context>
 <context>
  <name>SymbolEditor</name>
  <message>
   <source>Circle</source>
   <translation>圆形</translation>
  </message>
  <message>
   <source>Cross</source>
   <translation>十字</translation>
  </message>
  <message>
   <source>Dashed</source>
   <translation>虚线</translation>
  </message>
  <message>
   <source>Diamond</source>
   <translation>菱形</translation>
  </message>
  <message>
   <source>Dotted</source>
   <translation>点线</translation>
  </message>
  <message>
   <source>Element symbol (SVG)</source>
   <translation>元素符号（SVG）</translation>
  </message>
  <message>
   <source>Fill colour:</source>
   <translation>填充颜色：</translation>
  </message>
  <message>
   <source>Line colour:</source>
   <translation>线条颜色：</translation>
  </message>
  <message>
   <source>Line width:</source>
   <translation>线宽：</translation>
  </message>
  <message>
   <source>Marker:</source>
   <translation>符号形状：</translation>
  </message>
  <message>
   <source>Outline colour:</source>
   <translation>边线颜色：</translation>
  </message>
  <message>
   <source>Outline width:</source>
   <translation>边线宽度：</translation>
  </message>
  <message>
   <source>Pentagon</source>
   <translation>五边形</translation>
  </message>
  <message>
   <source>Size:</source>
   <translation>大小：</translation>
  </message>
  <message>
   <source>Solid</source>
   <translation>实线</translation>
  </message>
  <message>
   <source>Square</source>
   <translation>正方形</translation>
  </message>
  <message>
   <source>Star</source>
   <translation>星形</translation>
  </message>
  <message>
   <source>Stroke style:</source>
   <translation>线型：</translation>
  </message>
  <message>
   <source>Symbol:</source>
   <translation>符号：</translation>
  </message>
  <message>
   <source>Triangle</source>
   <translation>三角形</translation>
  </message>
 </context>
 <context>
  <name>TaskDialog</name>
  <message>
   <source>Cancel</source>
   <translation>取消</translation>
  </message>
  <message>
   <source>Cancelling…</source>
   <translation>正在取消…</translation>
  </message>
 </context>
 <context>
  <name>TeamProject</name>
  <message>
   <source>Edited by a colleague</source>
   <translation>同事已修改</translation>
  </message>
  <message>
   <source>Merge</source>
   <translation>合并</translation>
  </message>
  <message>
   <source>Open team project</source>
   <translation>打开团队项目</translation>
  </message>
  <message>
   <source>Opened {url}</source>
   <translation>已打开 {url}</translation>
  </message>
  <message>
   <source>Opening {url}</source>
   <translation>正在打开 {url}</translation>
  </message>
  <message>
   <source>Overwrite</source>
   <translation>覆盖</translation>
  </message>
  <message>
   <source>Password:</source>
   <translation>密码：</translation>
  </message>
  <message>
   <source>Project URL:</source>
   <translation>项目 URL：</translation>
  </message>
  <message>
   <source>Reload</source>
   <translation>重新加载</translation>
  </message>
  <message>
   <source>Reload: discard your edits and show the project as it is now.
Merge: take your colleagues' version of these elements, keep your other edits, and save.
Overwrite: save your version of these elements over theirs.</source>
   <translation>重新加载：放弃您的编辑，显示项目的当前状态。
合并：这些要素采用同事的版本，保留您的其他编辑并保存。
覆盖：用您的版本覆盖同事对这些要素的修改。</translation>
  </message>
  <message>
   <source>Reloading {name}</source>
   <translation>正在重新加载 {name}</translation>
  </message>
  <message>
   <source>Saved {url}</source>
   <translation>已保存 {url}</translation>
  </message>
  <message>
   <source>Saving {name}</source>
   <translation>正在保存 {name}</translation>
  </message>
  <message>
   <source>The password is used for this session only; it is never saved, shown or logged.</source>
   <translation>密码仅用于本次会话，不会被保存、显示或记录。</translation>
  </message>
  <message>
   <source>empty: PGPASSWORD or ~/.pgpass</source>
   <translation>留空：使用 PGPASSWORD 或 ~/.pgpass</translation>
  </message>
 </context>
 <context>
  <name>VectorStyleWidget</name>
  <message>
   <source>Categorized</source>
   <translation>分类</translation>
  </message>
  <message>
   <source>Classes:</source>
   <translation>级数：</translation>
  </message>
  <message>
   <source>Classify</source>
   <translation>分类</translation>
  </message>
  <message>
   <source>Colour ramp:</source>
   <translation>色带：</translation>
  </message>
  <message>
   <source>Colours:</source>
   <translation>配色：</translation>
  </message>
  <message>
   <source>Count</source>
   <translation>数量</translation>
  </message>
  <message>
   <source>Delete</source>
   <translation>删除</translation>
  </message>
  <message>
   <source>Equal interval</source>
   <translation>等间距</translation>
  </message>
  <message>
   <source>Field:</source>
   <translation>字段：</translation>
  </message>
  <message>
   <source>From</source>
   <translation>从</translation>
  </message>
  <message>
   <source>Graduated</source>
   <translation>分级</translation>
  </message>
  <message>
   <source>Legend</source>
   <translation>图例</translation>
  </message>
  <message>
   <source>Method:</source>
   <translation>分级方法：</translation>
  </message>
  <message>
   <source>Outline and symbol of the classes:</source>
   <translation>各级的边线和符号：</translation>
  </message>
  <message>
   <source>Quantile (equal count)</source>
   <translation>分位数（等数量）</translation>
  </message>
  <message>
   <source>Renderer:</source>
   <translation>渲染方式：</translation>
  </message>
  <message>
   <source>Single symbol</source>
   <translation>单一符号</translation>
  </message>
  <message>
   <source>Symbol</source>
   <translation>符号</translation>
  </message>
  <message>
   <source>Symbol for other values:</source>
   <translation>其他值的符号：</translation>
  </message>
  <message>
   <source>The layer has no attribute fields to classify by.</source>
   <translation>该图层没有可用于分类的属性字段。</translation>
  </message>
  <message>
   <source>The layer has no numeric field to classify by.</source>
   <translation>该图层没有可用于分级的数值字段。</translation>
  </message>
  <message>
   <source>To</source>
   <translation>到</translation>
  </message>
  <message>
   <source>Value</source>
   <translation>值</translation>
  </message>
  <message>
   <source>{field} has no numeric values to classify.</source>
   <translation>{field} 没有可分级的数值。</translation>
  </message>
  <message>
   <source>{field} has {count} distinct values, more than {limit}: use a graduated style</source>
   <translation>{field} 有 {count} 个不同的值，超过 {limit} 个：请使用分级渲染</translation>
  </message>
 </context>
 <context>
  <name>VertexTool</name>
  <message>
   <source>A line needs at least 2 vertices.</source>
   <translation>线至少需要 2 个节点。</translation>
  </message>
  <message>
   <source>Add a vertex</source>
   <translation>添加节点</translation>
  </message>
  <message>
   <source>An area needs at least 3 vertices.</source>
   <translation>面至少需要 3 个节点。</translation>
  </message>
  <message>
   <source>Edit vertices: click an element, drag its vertices, double-click an edge to add one, Delete removes the vertex under the cursor.</source>
   <translation>编辑节点：单击元素，拖动其节点，双击边添加节点，Delete 删除光标下的节点。</translation>
  </message>
  <message>
   <source>Move a vertex</source>
   <translation>移动节点</translation>
  </message>
  <message>
   <source>Remove a vertex</source>
   <translation>删除节点</translation>
  </message>
  <message>
   <source>That would make the outline cross itself; not changed.</source>
   <translation>这会使边界自相交，未作修改。</translation>
  </message>
 </context>
 <context>
  <name>WebCoords</name>
  <message>
   <source>BD-09 (Baidu)</source>
   <translation>BD-09（百度）</translation>
  </message>
  <message>
   <source>Convert a file</source>
   <translation>转换文件</translation>
  </message>
  <message>
   <source>Converting</source>
   <translation>正在转换</translation>
  </message>
  <message>
   <source>Coordinates of the data:</source>
   <translation>数据所用坐标：</translation>
  </message>
  <message>
   <source>Export to web-map coordinates</source>
   <translation>导出为互联网地图坐标</translation>
  </message>
  <message>
   <source>Exporting {0}</source>
   <translation>正在导出 {0}</translation>
  </message>
  <message>
   <source>From</source>
   <translation>源坐标</translation>
  </message>
  <message>
   <source>GCJ-02 (Amap / Tencent)</source>
   <translation>GCJ-02（高德/腾讯）</translation>
  </message>
  <message>
   <source>Import web-map data</source>
   <translation>导入互联网地图坐标数据</translation>
  </message>
  <message>
   <source>Importing {0}</source>
   <translation>正在导入 {0}</translation>
  </message>
  <message>
   <source>Layer:</source>
   <translation>图层：</translation>
  </message>
  <message>
   <source>Save as</source>
   <translation>另存为</translation>
  </message>
  <message>
   <source>To</source>
   <translation>目标坐标</translation>
  </message>
  <message>
   <source>WGS84 / CGCS2000</source>
   <translation>WGS84 / CGCS2000</translation>
  </message>
 </context>
 <context>
  <name>_ClassTable</name>
  <message>
   <source>Class colour</source>
   <translation>分类颜色</translation>
  </message>
 </context>
 <context>
  <name>_PlaceBase</name>
  <message>
   <source>Placed {type} ({n} in the design)</source>
   <translation>已放置{type}（方案中共 {n} 个）</translation>
  </message>
  <message>
   <source>The project is open read-only; elements cannot be placed.</source>
   <translation>项目以只读方式打开，不能放置元素。</translation>
  </message>
 </context>
</TS>
